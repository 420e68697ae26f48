/*
 * The registry of shim ops: one table per area, each in its own file (harness/shim_ops_<area>.c).
 * To add an area: write its table and add one line below. Op names must be unique across tables
 * (tests/test_shim.c checks it).
 */
#include "harness/shim.h"

const shim_op_table *const shim_op_tables[] = {
    &shim_ops_meta,      &shim_ops_sym,
    &shim_ops_bn,        &shim_ops_rsa,
    &shim_ops_framing,   &shim_ops_transport,
    &shim_ops_tl,        &shim_ops_bind,
    &shim_ops_handshake, &shim_ops_handshake_server,
    &shim_ops_e2e,       NULL,
};

static const char *const NO_FIELDS[] = {NULL};

/* list_ops {} -> {"ops": [every op name, in table order]}: lets a client discover what a shim
 * offers before it runs vectors. */
static int op_list_ops(shim_call *c)
{
    json_t *names = json_array();
    if (!names)
        return MT_E_no_memory;
    for (size_t t = 0; shim_op_tables[t]; t++)
        for (size_t i = 0; i < shim_op_tables[t]->count; i++)
            if (json_array_append_new(names, json_string(shim_op_tables[t]->ops[i].name)) != 0) {
                json_decref(names);
                return MT_E_no_memory;
            }
    return shim_put_json(c, "ops", names);
}

static const shim_op meta_ops[] = {
    {"list_ops", NO_FIELDS, op_list_ops},
};

const shim_op_table shim_ops_meta = {"meta", meta_ops, sizeof meta_ops / sizeof meta_ops[0]};
