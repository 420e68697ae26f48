# Generated TL codecs: proto/gen/tlc.py compiles each schema of proto/schema/ into
# ${PROJECT_BINARY_DIR}/gen/proto/tl_<prefix>.{h,c} at build time; the sources join libmtproof.
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)
set(MTPROOF_TL_GEN_DIR ${PROJECT_BINARY_DIR}/gen/proto)
file(MAKE_DIRECTORY ${MTPROOF_TL_GEN_DIR})
foreach(pair mtproto_schema:mtp secret_api:e2e api_subset:api relay:rly)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 schema)
  list(GET pair 1 prefix)
  set(out ${MTPROOF_TL_GEN_DIR}/tl_${prefix})
  add_custom_command(
    OUTPUT ${out}.h ${out}.c
    COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/proto/gen/tlc.py --prefix ${prefix}
            --out-dir ${MTPROOF_TL_GEN_DIR} ${PROJECT_SOURCE_DIR}/proto/schema/${schema}.tl
    DEPENDS ${PROJECT_SOURCE_DIR}/proto/gen/tlc.py ${PROJECT_SOURCE_DIR}/proto/schema/${schema}.tl
    COMMENT "tlc: ${schema}.tl -> tl_${prefix}.c"
    VERBATIM)
  target_sources(mtproof_lib PRIVATE ${out}.c ${out}.h)
endforeach()
target_include_directories(mtproof_lib PUBLIC ${PROJECT_BINARY_DIR}/gen)
