# voxplain_set_target_defaults(<target>): warnings and hidden visibility for project targets.
function(voxplain_set_target_defaults target)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wno-unused-parameter>)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
endfunction()

# LibTorch's headers cost 30-60 s per translation unit on one core, and loading voxplain_core's
# precompiled header of them (about 650 MB) about 10 s; instantiating LibTorch's templates costs
# most of the rest, again in every unit. So a target's units that include LibTorch share that one
# header and are compiled in unity batches of VOXPLAIN_UNITY_BATCH (one header load and one set of
# template instantiations per batch); its other units are batched too, without the header (Qt's,
# ITK's and CLI11's headers are parsed once per batch). voxplain_compile_in_batches(<target>
# [TORCH_UNITS <sources...>] [MOCS_USE_TORCH]) does this for a target: voxplain_core makes the header, other
# targets reuse it; MOCS_USE_TORCH when the target's moc output includes LibTorch. A LibTorch unit
# left off a list still builds, slowly; a unit that breaks in a batch (two files' internal names
# colliding) gets SKIP_UNITY_BUILD_INCLUSION. GCC ignores a reused header when a macro defined for
# the target that made it is missing in the one that reuses it, so voxplain_core keeps its private
# definitions on single sources.
option(VOXPLAIN_UNITY_BUILD "Compile in unity batches (faster cold builds, slower single-file rebuilds)" ON)
set(VOXPLAIN_UNITY_BATCH 8 CACHE STRING "Units per unity batch")
function(voxplain_compile_in_batches target)
  cmake_parse_arguments(P "MOCS_USE_TORCH" "" "TORCH_UNITS" ${ARGN})
  if(VOXPLAIN_FUZZ)
    return()  # the clang fuzz build compiles without precompiled headers or batches
  endif()
  set(torch_units ${P_TORCH_UNITS})
  if(torch_units)
    if(target STREQUAL "voxplain_core")
      target_precompile_headers(voxplain_core PRIVATE <torch/torch.h> <torch/script.h> <nlohmann/json.hpp>)
    else()
      target_precompile_headers(${target} REUSE_FROM voxplain_core)
      # The header is built -fPIC (voxplain_core is); an executable compiles -fPIE (GCC then drops
      # the header) unless told otherwise. Position-independent code links into a PIE all the same.
      get_target_property(type ${target} TYPE)
      if(type STREQUAL "EXECUTABLE")
        set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
        target_compile_options(${target} PRIVATE -fPIC)
      endif()
    endif()
    # A header that does not match the unit's flags would be ignored in silence: say so.
    target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Winvalid-pch>)
  endif()
  set(unity_dir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${target}.dir/Unity)
  if(NOT P_MOCS_USE_TORCH)
    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/mocs_compilation.cpp
                                PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
  endif()
  set(torch_count 0)
  set(plain_count 0)
  get_target_property(sources ${target} SOURCES)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.cpp$")
      continue()
    endif()
    get_source_file_property(alone ${source} SKIP_UNITY_BUILD_INCLUSION)
    if(source IN_LIST torch_units)
      math(EXPR batch "${torch_count} / ${VOXPLAIN_UNITY_BATCH}")
      math(EXPR torch_count "${torch_count} + 1")
      set_source_files_properties(${source} PROPERTIES UNITY_GROUP torch${batch})
    else()
      set_source_files_properties(${source} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      if(NOT alone)
        math(EXPR batch "${plain_count} / ${VOXPLAIN_UNITY_BATCH}")
        math(EXPR plain_count "${plain_count} + 1")
        set_source_files_properties(${source} PROPERTIES UNITY_GROUP plain${batch})
        set_source_files_properties(${unity_dir}/unity_plain${batch}_cxx.cxx PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endif()
  endforeach()
  if(VOXPLAIN_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
  endif()
endfunction()
