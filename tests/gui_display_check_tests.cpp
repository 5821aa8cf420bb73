// Before Qt starts: without a display, or with an X server that does not answer, the app says so
// in one line that points to blurcam-cli, instead of Qt aborting with a core dump.

#include "display_check.hpp"
#include "gui_test_support.hpp"

#include <gtest/gtest.h>

#include <QProcess>
#include <QTemporaryDir>

#include <map>
#include <string>
#include <vector>

namespace blurcam::test {
namespace {

/// An environment holding only `values`, read the way the display checks read getenv.
gui::EnvironmentReader environmentOf(std::map<std::string, std::string> values) {
    return [values](const char* name) -> const char* {
        auto found = values.find(name);
        return found == values.end() ? nullptr : found->second.c_str();
    };
}

TEST(DisplayCheck, AnUnreachableXServerIsReportedBeforeQtStarts) {
    std::vector<std::string> probed;
    const auto noServer = [&](const std::string& display) {
        probed.push_back(display);
        return false;
    };
    const std::string message = gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}}), {}, noServer);
    EXPECT_NE(message.find("DISPLAY=:5"), std::string::npos) << message;
    EXPECT_NE(message.find("blurcam-cli"), std::string::npos) << message;
    EXPECT_EQ(probed, std::vector<std::string>{":5"});
    EXPECT_FALSE(
        gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}, {"QT_QPA_PLATFORM", "xcb"}}), {}, noServer)
            .empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}}), {}, [](const std::string&) {
                    return true;
                }).empty());
    // Not X11, or no DISPLAY to try: nothing to probe.
    probed.clear();
    EXPECT_TRUE(gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}, {"QT_QPA_PLATFORM", "offscreen"}}), {},
                                               noServer)
                    .empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}}), "offscreen", noServer).empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(environmentOf({{"DISPLAY", ":5"}, {"WAYLAND_DISPLAY", "wayland-0"}}), {},
                                               noServer)
                    .empty());
    EXPECT_TRUE(gui::unreachableDisplayMessage(environmentOf({}), {}, noServer).empty());
    EXPECT_TRUE(probed.empty());
    // The real probe: nobody serves display 987 here.
    EXPECT_FALSE(gui::x11ServerAnswers(":987"));
}

TEST(DisplayCheck, TheAppExitsWithOneLineWhenTheXServerIsGone) {
    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QT_QPA_PLATFORM")); // ctest's offscreen would skip the X server
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.insert(QStringLiteral("DISPLAY"), QStringLiteral(":987"));
    QTemporaryDir home; // should it get past the check, it must not touch the user's settings
    environment.insert(QStringLiteral("HOME"), home.path());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    app.setProcessEnvironment(environment);
    app.start(QStringLiteral(BLURCAM_APP_PATH), {QStringLiteral("--source"), QStringLiteral("pattern")});
    ASSERT_TRUE(app.waitForFinished(blurcam::test::kWaitMs)) << "the app did not exit";
    EXPECT_EQ(app.exitStatus(), QProcess::NormalExit) << "it crashed instead of saying why";
    EXPECT_EQ(app.exitCode(), 1);
    const QString err = QString::fromLocal8Bit(app.readAllStandardError());
    const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 1) << err.toStdString();
    EXPECT_TRUE(lines[0].contains(QStringLiteral("DISPLAY=:987"))) << err.toStdString();
    EXPECT_TRUE(lines[0].contains(QStringLiteral("blurcam-cli"))) << err.toStdString();
    EXPECT_TRUE(app.readAllStandardOutput().isEmpty());
}

TEST(DisplayCheck, SaysSoWithoutADisplayAndPointsToTheCli) {
    const std::string none = gui::missingDisplayMessage(environmentOf({}));
    EXPECT_NE(none.find("blurcam-cli"), std::string::npos);
    EXPECT_TRUE(gui::missingDisplayMessage(environmentOf({{"DISPLAY", ":0"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(environmentOf({{"WAYLAND_DISPLAY", "wayland-0"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(environmentOf({{"QT_QPA_PLATFORM", "offscreen"}})).empty());
    EXPECT_TRUE(gui::missingDisplayMessage(environmentOf({}), "minimal").empty());
    EXPECT_FALSE(gui::missingDisplayMessage(environmentOf({{"QT_QPA_PLATFORM", "xcb"}})).empty());
    EXPECT_FALSE(
        gui::missingDisplayMessage(environmentOf({{"QT_QPA_PLATFORM", "wayland"}, {"DISPLAY", ":0"}})).empty());
    EXPECT_TRUE(
        gui::missingDisplayMessage(environmentOf({{"QT_QPA_PLATFORM", "wayland;xcb"}, {"WAYLAND_DISPLAY", "w"}}))
            .empty());
}

} // namespace
} // namespace blurcam::test
