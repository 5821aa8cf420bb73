// The app's command line: a bad --source, --backend or stray argument is named in one sentence
// with exit status 2, before Qt or a display is needed.

#include "gui_test_support.hpp"

#include <gtest/gtest.h>

#include <QProcess>
#include <QTemporaryDir>

namespace blurcam::test {
namespace {

struct AppRun {
    int exitCode = -1;
    QStringList errorLines;
    QByteArray output;
};

/// Runs the app with `arguments` and a private home, so nothing can touch the user's settings.
AppRun runApp(const QStringList& arguments) {
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QTemporaryDir home;
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    app.setProcessEnvironment(environment);
    app.start(QStringLiteral(BLURCAM_APP_PATH), arguments);
    AppRun run;
    if (!app.waitForFinished(kWaitMs)) {
        app.kill();
        app.waitForFinished();
        ADD_FAILURE() << "the app did not exit";
        return run;
    }
    EXPECT_EQ(app.exitStatus(), QProcess::NormalExit) << "it crashed instead of saying why";
    run.exitCode = app.exitCode();
    run.errorLines = QString::fromLocal8Bit(app.readAllStandardError()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    run.output = app.readAllStandardOutput();
    return run;
}

void expectOneLineNaming(const QStringList& arguments, const QString& named) {
    SCOPED_TRACE(arguments.join(QLatin1Char(' ')).toStdString());
    const AppRun run = runApp(arguments);
    EXPECT_EQ(run.exitCode, 2);
    ASSERT_EQ(run.errorLines.size(), 1) << run.errorLines.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(run.errorLines[0].startsWith(QStringLiteral("blurcam: "))) << run.errorLines[0].toStdString();
    EXPECT_TRUE(run.errorLines[0].contains(named)) << run.errorLines[0].toStdString();
    EXPECT_TRUE(run.output.isEmpty());
}

TEST(AppArguments, AMalformedCameraIsNamedNotTakenForAFile) {
    expectOneLineNaming({QStringLiteral("--source"), QStringLiteral("camera:first")}, QStringLiteral("camera:first"));
    expectOneLineNaming({QStringLiteral("--source"), QStringLiteral("camera:")}, QStringLiteral("camera:"));
}

TEST(AppArguments, AMissingFileIsNamed) {
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("nothere.png"));
    expectOneLineNaming({QStringLiteral("--source"), missing}, missing);
}

TEST(AppArguments, AnUnknownBackendAndAStrayArgumentAreNamed) {
    expectOneLineNaming({QStringLiteral("--backend"), QStringLiteral("warp")}, QStringLiteral("warp"));
    expectOneLineNaming({QStringLiteral("clip.mp4")}, QStringLiteral("clip.mp4"));
}

} // namespace
} // namespace blurcam::test
