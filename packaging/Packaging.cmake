# CPack: a Debian package of the application and CLI, with the demo, icon, desktop file, MIME types,
# AppStream metadata, man pages, copyright and changelog (lintian: no errors; checked by setup.sh test).
install(FILES ${CMAKE_SOURCE_DIR}/packaging/org.voxplain.Voxplain.desktop DESTINATION share/applications)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/org.voxplain.Voxplain.metainfo.xml DESTINATION share/metainfo)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/voxplain-mime.xml DESTINATION share/mime/packages RENAME voxplain.xml)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright DESTINATION share/doc/voxplain)
# Man pages and the changelog are installed compressed (gzip -9n: reproducible, as Debian wants).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(packaging_out ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${packaging_out})
set(compressed)
foreach(pair "voxplain.1|voxplain.1.gz" "voxplain-cli.1|voxplain-cli.1.gz" "changelog|changelog.gz")
  string(REPLACE "|" ";" parts "${pair}")
  list(GET parts 0 source)
  list(GET parts 1 target)
  add_custom_command(OUTPUT ${packaging_out}/${target}
    COMMAND ${GZIP_EXECUTABLE} -9n -c ${CMAKE_SOURCE_DIR}/packaging/${source} > ${packaging_out}/${target}
    DEPENDS ${CMAKE_SOURCE_DIR}/packaging/${source})
  list(APPEND compressed ${packaging_out}/${target})
endforeach()
add_custom_target(voxplain_package_docs ALL DEPENDS ${compressed})
install(FILES ${packaging_out}/voxplain.1.gz ${packaging_out}/voxplain-cli.1.gz DESTINATION share/man/man1)
install(FILES ${packaging_out}/changelog.gz DESTINATION share/doc/voxplain)

set(CPACK_PACKAGE_NAME voxplain)
set(CPACK_PACKAGE_VENDOR "Voxplain developers")
set(CPACK_PACKAGE_CONTACT "Voxplain developers <maintainers@voxplain.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Voxplain developers <maintainers@voxplain.org>")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Opening an nnU-Net v2 folder runs a converter on its pickled checkpoints once (model/NnunetFolder.h).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3-torch, python3-numpy")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://voxplain.org")
# CPack writes CPACK_PACKAGE_DESCRIPTION_SUMMARY as the synopsis and indents these lines itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Voxplain opens a study (DICOM series or NIfTI files, one volume per modality),
runs a 3D segmentation model (TorchScript with a manifest, or a MONAI bundle)
on the GPU or CPU and shows why it segmented what it did: attribution maps
per modality and per lesion (gradient, CAM and perturbation methods),
modality and segment importance, linked slice views and volume rendering.
Results export as figures, NIfTI, DICOM SEG and Parametric Maps.
.
voxplain-cli runs the same engine headless for batch work.")
include(CPack)
