#!/bin/bash -eu
# ClusterFuzzLite build: the same as OSS-Fuzz's (fuzz/oss-fuzz/build.sh; docs/fuzzing.md).
exec "$SRC/mtproof/fuzz/oss-fuzz/build.sh"
