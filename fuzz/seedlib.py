"""What the seed scripts (fuzz/seeds_*.py) share: where a target's corpus lives and how seeds are
written into it (corpora/<target>/<name>, bytes; text is written as UTF-8 without newline
translation). Deterministic scripts give byte-identical corpora on every run."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..'))


def corpus_dir(target):
    return os.path.join(ROOT, 'corpora', target)


def write_seed(target, name, data):
    """Writes one seed; name may hold a subdirectory."""
    path = os.path.join(corpus_dir(target), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(path, 'wb') as f:
        f.write(data)


def write_seeds(target, seeds):
    """Writes every seed of a dict name -> data, in name order, and says how many."""
    for name, data in sorted(seeds.items()):
        write_seed(target, name, data)
    print('%d seeds in %s' % (len(seeds), os.path.relpath(corpus_dir(target))))
