# Configures and builds core + voxplain-cli with every GUI/IO package made unfindable, then runs
# the CLI. Fails if the configuration reaches for Qt, VTK, ITK or DCMTK.
file(REMOVE_RECURSE "${BINARY}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}" -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release
          -DVOXPLAIN_IO=OFF -DVOXPLAIN_GUI=OFF
          -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=TRUE -DCMAKE_DISABLE_FIND_PACKAGE_Qt5=TRUE
          -DCMAKE_DISABLE_FIND_PACKAGE_VTK=TRUE -DCMAKE_DISABLE_FIND_PACKAGE_ITK=TRUE
          -DCMAKE_DISABLE_FIND_PACKAGE_DCMTK=TRUE
  RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "core-only configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BINARY}" -j 2 RESULT_VARIABLE built)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "core-only build failed")
endif()
file(READ "${BINARY}/CMakeCache.txt" cache)
foreach(pkg Qt6_DIR VTK_DIR ITK_DIR DCMTK_DIR)
  if(cache MATCHES "${pkg}:PATH=/")
    message(FATAL_ERROR "core-only configuration found ${pkg}")
  endif()
endforeach()
execute_process(COMMAND "${BINARY}/app/voxplain-cli" phantom --size 24,24,20 --json RESULT_VARIABLE ran OUTPUT_VARIABLE out)
if(NOT ran EQUAL 0 OR NOT out MATCHES "\"lesions\"")
  message(FATAL_ERROR "core-only voxplain-cli does not run: ${out}")
endif()
message(STATUS "core-only build OK: ${out}")
