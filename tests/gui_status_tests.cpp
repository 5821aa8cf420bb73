// The status line: nothing cut mid-word or overlapping at any width, one-time notices that go
// away, and a blur rate that reads steady for a steady source.

#include "app_controller.hpp"
#include "gui_test_support.hpp"
#include "main_window.hpp"
#include "rate_meter.hpp"
#include "status_line.hpp"

#include <blurcam/backend.hpp>

#include <QApplication>
#include <QStatusBar>
#include <QTest>

namespace {

using namespace blurcam;
using blurcam::test::GuiTest;
using blurcam::test::waitFor;

widgets::StatusInfo vulkanStatus() {
    widgets::StatusInfo status;
    status.backend = QStringLiteral("vulkan (NVIDIA GeForce RTX 3060 Laptop GPU)");
    status.device = QStringLiteral("NVIDIA GeForce RTX 3060 Laptop GPU");
    status.kind = BackendKind::Vulkan;
    status.captured = 123456;
    status.processed = 61728;
    status.dropped = 42;
    status.processedPerSecond = 15.0;
    status.engineMs = 1.23;
    status.timings = {0.21, 0.05, 0.12};
    status.latencyMs = 5.2;
    return status;
}

/// Every shown piece is one of the parts whole, and the pieces come in the parts' order.
bool madeOfWholeParts(const QString& shown, const QString& full) {
    if (shown.isEmpty()) {
        return true;
    }
    const QStringList parts = full.split(QStringLiteral(" | "));
    qsizetype next = 0;
    for (const QString& piece : shown.split(QStringLiteral(" | "))) {
        const qsizetype at = parts.indexOf(piece, next);
        if (at < 0) {
            return false;
        }
        next = at + 1;
    }
    return true;
}

TEST(StatusLine, NothingIsCutOrOverlapsAtAnyWidth) {
    widgets::StatusLine line;
    QList<widgets::StatusPart> parts{{QStringLiteral("vulkan (a long device name)"), 0},
                                     {QStringLiteral("blur 15.0 fps"), 1},
                                     {QStringLiteral("engine 1.23 ms"), 2},
                                     {QStringLiteral("upload 0.21 / GPU 0.05 / download 0.12 ms"), 6},
                                     {QStringLiteral("dropped 42"), 3},
                                     {QStringLiteral("latency 5.2 ms"), 4},
                                     {QStringLiteral("captured 123,456, processed 61,728"), 5}};
    line.setParts(parts);
    line.setNote(QStringLiteral("No camera found, showing the test pattern"));
    line.resize(1200, 24);
    const QFontMetrics metrics = line.fontMetrics();
    for (int width = 60; width <= 1400; width += 7) {
        line.resize(width, 24);
        const QString left = line.shownLeft();
        const QString right = line.shownRight();
        EXPECT_LE(metrics.horizontalAdvance(left), line.leftRect().width()) << width;
        EXPECT_LE(metrics.horizontalAdvance(right), line.rightRect().width()) << width;
        EXPECT_FALSE(line.leftRect().intersects(line.rightRect())) << width;
        EXPECT_TRUE(madeOfWholeParts(left, line.fullText()) || left.endsWith(QStringLiteral("…")))
            << width << ": " << left.toStdString();
        if (!right.isEmpty() && right != line.note()) {
            EXPECT_TRUE(right.endsWith(QStringLiteral("…"))) << right.toStdString();
            EXPECT_TRUE(line.note().startsWith(right.chopped(1))) << right.toStdString();
        }
    }
    // The counts are worth more than the transfer split: with room for all but one part, the
    // split goes and "dropped" stays.
    line.resize(metrics.horizontalAdvance(line.fullText()) + metrics.horizontalAdvance(line.note()) - 100, 24);
    EXPECT_TRUE(line.shownLeft().contains(QStringLiteral("dropped 42")));
    EXPECT_FALSE(line.shownLeft().contains(QStringLiteral("upload")));
}

TEST(StatusLine, ANoticeTakesTheNumbersPlaceAndGoes) {
    widgets::StatusLine line;
    line.resize(800, 24);
    line.setParts({{QStringLiteral("cpu"), 0}, {QStringLiteral("blur 15.0 fps"), 1}});
    line.showNotice(QStringLiteral("Snapshot saved."), 50);
    EXPECT_EQ(line.shownLeft(), QStringLiteral("Snapshot saved."));
    ASSERT_TRUE(waitFor([&] { return line.notice().isEmpty(); }));
    EXPECT_EQ(line.shownLeft(), QStringLiteral("cpu | blur 15.0 fps"));
}

TEST_F(GuiTest, OnTheGpuAtTheDefaultSizeTheDropCountIsShown) {
    widgets::MainWindow window;
    window.setStatus(vulkanStatus());
    window.setSourceNote(QStringLiteral("No camera found, showing the test pattern"));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_TRUE(window.statusLine()->shownLeft().contains(QStringLiteral("dropped 42")))
        << window.statusLine()->shownLeft().toStdString();
    EXPECT_EQ(window.statusLine()->shownRight(), QStringLiteral("No camera found, showing the test pattern"));
    // Down to the smallest window: whole parts only, the note never crossed.
    const QSize smallest(window.minimumSizeHint().width(), 400);
    window.resize(smallest);
    // The platform applies the size asynchronously; the layouts it sets off are posted events,
    // delivered here before anything is measured.
    ASSERT_TRUE(waitFor([&] { return window.size() == smallest; }));
    QCoreApplication::sendPostedEvents();
    widgets::StatusLine* line = window.statusLine();
    EXPECT_TRUE(madeOfWholeParts(line->shownLeft(), line->fullText()) ||
                line->shownLeft().endsWith(QStringLiteral("…")))
        << line->shownLeft().toStdString();
    EXPECT_LE(line->geometry().right(), window.statusBar()->width());
}

TEST_F(GuiTest, AFailedGpuIsAOneTimeNoticeThatGoesAway) {
    REQUIRE_OR_SKIP(!createBackend(BackendKind::Vulkan).backend,
                    "a Vulkan that cannot start (Vulkan started although main() pointed the loader at a missing "
                    "driver)");
    widgets::GuiSettings initial;
    initial.source = QStringLiteral("pattern");
    initial.backend = BackendKind::Vulkan;
    gui::AppController controller(initial, options());
    widgets::MainWindow& window = controller.window();
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_TRUE(waitFor([&] { return window.notice().contains(QStringLiteral("switched to CPU")); }));
    EXPECT_FALSE(window.sourceNote().contains(QStringLiteral("switched to CPU")));
    EXPECT_EQ(window.statusLine()->shownLeft().count(QStringLiteral("switched to CPU")), 1);
    ASSERT_TRUE(waitFor([&] { return window.notice().isEmpty(); })) << "the notice stays";
    EXPECT_FALSE(window.statusLine()->shownLeft().contains(QStringLiteral("switched")));
}

TEST(RateMeter, ASteadyRateReadsSteadyWhateverTheTicks) {
    // 15 frames a second; ticks every 500 ms with up to 40 ms of jitter, as a busy event loop gives.
    constexpr qint64 kFrameNs = 1'000'000'000 / 15;
    gui::RateMeter meter;
    const qint64 jitter[] = {0, 37'000'000, 5'000'000, 40'000'000, 12'000'000, 29'000'000};
    for (int tick = 1; tick <= 40; ++tick) {
        const qint64 now = tick * 500'000'000LL + jitter[tick % 6];
        const quint64 count = static_cast<quint64>(now / kFrameNs);
        meter.add(now, count, static_cast<qint64>(count) * kFrameNs);
        if (tick >= 3) {
            EXPECT_NEAR(meter.rate(), 15.0, 0.05) << "tick " << tick;
        }
    }
    // Frames stop: after a second with none the rate is 0, not the last value.
    const quint64 last = static_cast<quint64>(20'040'000'000LL / kFrameNs);
    meter.add(22'000'000'000LL, last, static_cast<qint64>(last) * kFrameNs);
    EXPECT_EQ(meter.rate(), 0.0);
}

} // namespace
