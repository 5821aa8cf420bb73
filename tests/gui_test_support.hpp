#pragma once
// What every GUI test file shares: a private settings file per test, controller options without
// cameras, and a bounded wait for a condition (never a timing assertion).

#include "app_controller.hpp"
#include "gui_settings.hpp"
#include "test_requirements.hpp"

#include <blurcam/fft_planning.hpp>

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

namespace blurcam::test {

/// A guard against hangs only: every wait ends as soon as its condition holds.
inline constexpr int kWaitMs = 30000;

/// Each test gets its own settings file, so no test sees another's (or the user's) settings.
class GuiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(m_settingsDir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("blurcam-test"));
        QCoreApplication::setApplicationName(
            QString::fromStdString(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }

    /// No cameras: tests must not depend on the machine's devices. FFT plans are measured
    /// briefly (main() points the wisdom file at a scratch path).
    static gui::ControllerOptions options() {
        gui::ControllerOptions options;
        options.cameras = QList<gui::CameraEntry>{};
        options.planner = [](const std::vector<FftPlanRequest>& requests) { return planFftSizes(requests, 0.2); };
        return options;
    }

    QTemporaryDir m_settingsDir;
};

inline bool waitFor(const std::function<bool()>& condition) {
    return QTest::qWaitFor(condition, kWaitMs);
}

/// The default settings on `source`; "pattern" keeps a test off the machine's cameras.
inline widgets::GuiSettings settingsOn(const QString& source) {
    widgets::GuiSettings settings;
    settings.source = source;
    return settings;
}

} // namespace blurcam::test
