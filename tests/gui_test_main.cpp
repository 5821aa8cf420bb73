// main() for the GUI test executables: Qt on the offscreen platform, Vulkan that cannot start, and
// a scratch FFT wisdom file, all set before anything reads them.

#include <gtest/gtest.h>

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // ctest sets QT_QPA_PLATFORM=offscreen; a developer running the binary by hand gets it too.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Point the Vulkan loader at a driver manifest that does not exist (both variables: with
    // VK_ICD_FILENAMES alone it falls back to its default search), before anything loads it, so
    // every test here sees the "Vulkan cannot start" path whether or not the build has Vulkan.
    const QByteArray missingDriver = "/nonexistent/blurcam-gui-tests/no_such_icd.json";
    qputenv("VK_ICD_FILENAMES", missingDriver);
    qputenv("VK_DRIVER_FILES", missingDriver);
    // FFT plans measured by the app under test go to a scratch wisdom file, never the user's.
    const QString wisdom =
        QDir::temp().filePath(QStringLiteral("blurcam-gui-tests-%1.wisdom").arg(QCoreApplication::applicationPid()));
    qputenv("BLURCAM_FFTW_WISDOM", wisdom.toLocal8Bit());
    QApplication application(argc, argv);
    const int status = RUN_ALL_TESTS();
    QFile::remove(wisdom);
    return status;
}
