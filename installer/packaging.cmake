# CPack: `cmake --build build --target package` makes a .deb with both executables, the desktop
# entry and the icon. Its dependencies are Debian 12's Qt 6 runtime packages.
install(FILES ${PROJECT_SOURCE_DIR}/installer/compression-studio.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/compression-studio.svg
        DESTINATION share/icons/hicolor/scalable/apps)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME compression-studio)
set(CPACK_PACKAGE_VENDOR "Compression Studio")
set(CPACK_PACKAGE_CONTACT "Compression Studio developers <dev@compression-studio.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6gui6 (>= 6.4), libqt6widgets6 (>= 6.4), libqt6charts6 (>= 6.4), libqt6svg6 (>= 6.4), libqt6printsupport6 (>= 6.4), qt6-qpa-plugins, zlib1g")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
