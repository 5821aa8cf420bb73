// The app core shared by blurcam-cli and the GUI: sources, conversion, frame preparation and the
// all-or-nothing writers.
#include "cli_test_support.hpp"

#include "frame_convert.hpp"
#include "frame_source.hpp"
#include "frame_writer.hpp"

namespace blurcam::test {
namespace {

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != b.type()) {
        return false;
    }
    cv::Mat difference;
    cv::absdiff(a, b, difference);
    return cv::countNonZero(difference.reshape(1)) == 0;
}

TEST(PatternSource, MovesBetweenFramesAndIsDeterministic) {
    app::SourceOptions options;
    options.patternSize = {320, 200};
    app::OpenedSource opened = app::openFrameSource("pattern", options);
    ASSERT_TRUE(opened.source) << opened.error;
    EXPECT_DOUBLE_EQ(opened.source->framesPerSecond(), 30.0);
    cv::Mat first;
    cv::Mat second;
    ASSERT_EQ(opened.source->read(first), app::ReadStatus::Frame);
    ASSERT_EQ(opened.source->read(second), app::ReadStatus::Frame);
    ASSERT_EQ(first.type(), CV_8UC4);
    EXPECT_EQ(first.size(), cv::Size(320, 200));
    EXPECT_FALSE(sameBytes(first, second)) << "consecutive pattern frames must differ";
    EXPECT_TRUE(sameBytes(first, app::renderTestPattern({320, 200}, 0)));
    EXPECT_TRUE(sameBytes(second, app::renderTestPattern({320, 200}, 1)));
    std::vector<cv::Mat> channels;
    cv::split(first, channels);
    EXPECT_EQ(cv::countNonZero(channels[3] != 255), 0) << "the pattern is opaque";
    // The ball moves: the picture keeps changing far from the frame counter too.
    const cv::Rect top(0, 0, 320, 120);
    EXPECT_FALSE(sameBytes(app::renderTestPattern({320, 200}, 10)(top), app::renderTestPattern({320, 200}, 20)(top)));
}

TEST(FrameSources, ImageIsOneFrameThenEndUnlessLooped) {
    ScratchDirectory dir;
    const cv::Mat picture = makeRgbaPicture(31, 17);
    writeRgbaPng(dir / "in.png", picture);
    app::OpenedSource once = app::openFrameSource((dir / "in.png").string());
    ASSERT_TRUE(once.source) << once.error;
    cv::Mat frame;
    ASSERT_EQ(once.source->read(frame), app::ReadStatus::Frame);
    EXPECT_TRUE(sameBytes(frame, picture));
    EXPECT_EQ(once.source->read(frame), app::ReadStatus::EndOfStream);

    app::SourceOptions loop;
    loop.loopFiles = true;
    app::OpenedSource looped = app::openFrameSource((dir / "in.png").string(), loop);
    ASSERT_TRUE(looped.source);
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(looped.source->read(frame), app::ReadStatus::Frame);
    }
}

TEST(FrameSources, GreyAndSixteenBitImagesBecomeRgba) {
    ScratchDirectory dir;
    cv::Mat grey16(4, 3, CV_16UC1, cv::Scalar(65535));
    grey16.at<std::uint16_t>(0, 0) = 257;
    ASSERT_TRUE(cv::imwrite((dir / "grey16.png").string(), grey16));
    app::OpenedSource opened = app::openFrameSource((dir / "grey16.png").string());
    ASSERT_TRUE(opened.source) << opened.error;
    cv::Mat frame;
    ASSERT_EQ(opened.source->read(frame), app::ReadStatus::Frame);
    ASSERT_EQ(frame.type(), CV_8UC4);
    EXPECT_EQ(frame.at<cv::Vec4b>(0, 0), cv::Vec4b(1, 1, 1, 255));
    EXPECT_EQ(frame.at<cv::Vec4b>(3, 2), cv::Vec4b(255, 255, 255, 255));
}

TEST(FrameSources, VideoLoopsWhenAsked) {
    ScratchDirectory dir;
    writeTestVideo(dir / "in.avi", 4, {64, 48});
    app::SourceOptions loop;
    loop.loopFiles = true;
    app::OpenedSource opened = app::openFrameSource((dir / "in.avi").string(), loop);
    ASSERT_TRUE(opened.source) << opened.error;
    cv::Mat frame;
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(opened.source->read(frame), app::ReadStatus::Frame) << i;
        EXPECT_EQ(frame.size(), cv::Size(64, 48));
    }
}

TEST(FrameSources, TruncatedVideoLoopsBackAfterTheFramesItHas) {
    ScratchDirectory dir;
    writeTestVideo(dir / "in.avi", 8, {64, 48});
    std::vector<unsigned char> bytes = readBytes(dir / "in.avi");
    bytes.resize(bytes.size() * 2 / 3);
    writeBytes(dir / "cut.avi", bytes);
    app::SourceOptions loop;
    loop.loopFiles = true;
    app::OpenedSource opened = app::openFrameSource((dir / "cut.avi").string(), loop);
    ASSERT_TRUE(opened.source) << opened.error;
    int good = 0;
    bool sawTheFirstFrameAgain = false;
    cv::Mat frame;
    cv::Mat first;
    for (int i = 0; i < 20; ++i) { // more than the 8 the header lists: it must loop, not end or fail
        const app::ReadStatus status = opened.source->read(frame);
        ASSERT_NE(status, app::ReadStatus::Error) << opened.source->error();
        ASSERT_NE(status, app::ReadStatus::EndOfStream);
        if (status == app::ReadStatus::BadFrame) {
            EXPECT_NE(opened.source->error().find("cut.avi"), std::string::npos) << opened.source->error();
            continue;
        }
        if (good++ == 0) {
            first = frame.clone();
        } else if (sameBytes(frame, first)) {
            sawTheFirstFrameAgain = true;
        }
    }
    EXPECT_GE(good, 10);
    EXPECT_TRUE(sawTheFirstFrameAgain) << "a looping source starts again";
    const std::string warning = opened.source->warning();
    EXPECT_TRUE(warning.empty() || warning.find("cut.avi") != std::string::npos) << warning;
}

TEST(FrameSources, ErrorsNameTheFileOrDevice) {
    const app::OpenedSource missing = app::openFrameSource("/nonexistent/clip.mp4");
    EXPECT_FALSE(missing.source);
    EXPECT_NE(missing.error.find("/nonexistent/clip.mp4"), std::string::npos) << missing.error;
    const app::OpenedSource camera = app::openFrameSource("camera:77");
    EXPECT_FALSE(camera.source);
    EXPECT_NE(camera.error.find("/dev/video77"), std::string::npos) << camera.error;
    const app::OpenedSource badSpec = app::openFrameSource("camera:first");
    EXPECT_FALSE(badSpec.source);
    EXPECT_NE(badSpec.error.find("camera:first"), std::string::npos) << badSpec.error;
}

TEST(FrameConvert, ViewsShareMemoryAndRejectOtherTypes) {
    cv::Mat rgba = makeRgbaPicture(8, 5);
    const ImageView view = app::toImageView(rgba);
    EXPECT_EQ(view.data, rgba.data);
    EXPECT_EQ(view.width, 8);
    EXPECT_EQ(view.height, 5);
    EXPECT_EQ(view.strideBytes, rgba.step[0]);
    const cv::Mat roi = rgba(cv::Rect(2, 1, 4, 3));
    EXPECT_EQ(app::toImageView(roi).strideBytes, rgba.step[0]) << "a sub-rectangle keeps the parent's stride";
    EXPECT_TRUE(sameBytes(app::toMat(app::toImageView(roi)), roi));
    cv::Mat bgr(4, 4, CV_8UC3);
    EXPECT_THROW((void)app::toImageView(bgr), std::invalid_argument);
    EXPECT_THROW((void)app::toMutableImageView(bgr), std::invalid_argument);
}

TEST(FrameConvert, DecodedColourOrderBecomesRgba) {
    cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
    EXPECT_EQ(app::decodedToRgba(bgr).at<cv::Vec4b>(0, 0), cv::Vec4b(30, 20, 10, 255));
    cv::Mat bgra(1, 1, CV_8UC4, cv::Scalar(10, 20, 30, 40));
    EXPECT_EQ(app::decodedToRgba(bgra).at<cv::Vec4b>(0, 0), cv::Vec4b(30, 20, 10, 40));
    EXPECT_TRUE(app::decodedToRgba(cv::Mat()).empty());
}

TEST(PrepareFrame, CentreCropGeometry) {
    EXPECT_EQ(app::centredCropRect({640, 480}, {256, 256}), cv::Rect(80, 0, 480, 480));
    EXPECT_EQ(app::centredCropRect({100, 300}, {2, 1}), cv::Rect(0, 125, 100, 50));
    EXPECT_EQ(app::centredCropRect({1920, 1080}, {16, 9}), cv::Rect(0, 0, 1920, 1080));
    EXPECT_EQ(app::centredCropRect({1920, 1080}, {4, 3}), cv::Rect(240, 0, 1440, 1080));

    // A frame whose left and right quarters are red and whose centre is green: a square crop of
    // the centre is all green, a stretch keeps the red.
    cv::Mat frame(100, 200, CV_8UC4, cv::Scalar(255, 0, 0, 255));
    frame(cv::Rect(50, 0, 100, 100)).setTo(cv::Scalar(0, 255, 0, 255));
    const cv::Mat cropped = app::prepareFrame(frame, app::FrameShape::CropToAspect, {32, 32});
    ASSERT_EQ(cropped.size(), cv::Size(32, 32));
    EXPECT_TRUE(sameBytes(cropped, cv::Mat(32, 32, CV_8UC4, cv::Scalar(0, 255, 0, 255))));
    cv::Mat expected;
    cv::resize(frame(cv::Rect(50, 0, 100, 100)), expected, {32, 32}, 0, 0, cv::INTER_AREA);
    EXPECT_TRUE(sameBytes(cropped, expected));

    const cv::Mat stretched = app::prepareFrame(frame, app::FrameShape::Stretch, {32, 32});
    ASSERT_EQ(stretched.size(), cv::Size(32, 32));
    EXPECT_EQ(stretched.at<cv::Vec4b>(16, 0), cv::Vec4b(255, 0, 0, 255));

    const cv::Mat native = app::prepareFrame(frame, app::FrameShape::Native, {32, 32});
    EXPECT_EQ(native.size(), frame.size());
}

TEST(AtomicWriters, ImageWriteLeavesOnlyTheFinalFile) {
    ScratchDirectory dir;
    const cv::Mat picture = makeRgbaPicture(20, 10);
    EXPECT_EQ(app::writeImageAtomically(dir / "a.png", picture), "");
    EXPECT_EQ(app::writeImageAtomically(dir / "a.jpg", picture), "");
    EXPECT_EQ(dir.listing(), (std::set<std::string>{"a.jpg", "a.png"}));
    EXPECT_TRUE(sameBytes(readRgba(dir / "a.png"), picture)) << "PNG keeps all four channels exactly";
    EXPECT_EQ(cv::imread((dir / "a.jpg").string(), cv::IMREAD_UNCHANGED).channels(), 3) << "JPEG has no alpha";
}

TEST(AtomicWriters, FailedImageWriteLeavesNothing) {
    ScratchDirectory dir;
    const std::string error = app::writeImageAtomically(dir / "missing" / "a.png", makeRgbaPicture(4, 4));
    EXPECT_NE(error.find("a.png"), std::string::npos) << error;
    EXPECT_TRUE(dir.listing().empty());
    EXPECT_NE(app::writeImageAtomically(dir / "a.xyz", makeRgbaPicture(4, 4)), "");
    EXPECT_TRUE(dir.listing().empty());
}

TEST(AtomicWriters, UnfinishedWritersLeaveNothing) {
    ScratchDirectory dir;
    const cv::Mat picture = makeRgbaPicture(32, 24);
    for (const auto& [name, kind] : {std::pair{std::string("frames/"), app::OutputKind::Directory},
                                     std::pair{std::string("clip.avi"), app::OutputKind::Video},
                                     std::pair{std::string("clip.mp4"), app::OutputKind::Video},
                                     std::pair{std::string("still.png"), app::OutputKind::Image}}) {
        ASSERT_EQ(app::classifyOutput((dir / name).string()), kind) << name;
        app::OpenedWriter opened = app::openFrameWriter((dir / name).string(), kind, {.fps = 25.0});
        ASSERT_TRUE(opened.writer) << opened.error;
        for (int i = 0; i < 3; ++i) {
            ASSERT_TRUE(opened.writer->write(picture)) << opened.writer->error();
        }
        if (kind != app::OutputKind::Image) {
            EXPECT_FALSE(dir.listing().empty()) << name << ": frames should be staged under a temporary name";
            EXPECT_TRUE(hasTemporaryName(dir.listing())) << name;
        }
        opened.writer.reset(); // dropped without finish(), as when a run fails
        EXPECT_TRUE(dir.listing().empty()) << name;
    }
}

TEST(AtomicWriters, DirectoryWriterKeepsOtherFilesAndCommitsAtFinish) {
    ScratchDirectory dir;
    fs::create_directory(dir / "out");
    std::ofstream(dir / "out" / "keep.txt") << "mine";
    app::OpenedWriter opened = app::openFrameWriter((dir / "out").string(), app::OutputKind::Directory);
    ASSERT_TRUE(opened.writer);
    ASSERT_TRUE(opened.writer->write(makeRgbaPicture(8, 8)));
    ASSERT_TRUE(opened.writer->write(makeRgbaPicture(8, 8, 2)));
    EXPECT_FALSE(fs::exists(dir / "out" / "frame_000000.png")) << "nothing is visible before finish()";
    ASSERT_TRUE(opened.writer->finish()) << opened.writer->error();
    EXPECT_EQ(dir.listing(),
              (std::set<std::string>{"out", "out/keep.txt", "out/frame_000000.png", "out/frame_000001.png"}));
    EXPECT_TRUE(sameBytes(readRgba(dir / "out" / "frame_000001.png"), makeRgbaPicture(8, 8, 2)));
    opened.writer.reset();
    EXPECT_TRUE(fs::exists(dir / "out" / "frame_000001.png")) << "a finished writer keeps its files";
}

TEST(AtomicWriters, VideoWriterRejectsAChangeOfSize) {
    ScratchDirectory dir;
    app::OpenedWriter opened = app::openFrameWriter((dir / "clip.avi").string(), app::OutputKind::Video);
    ASSERT_TRUE(opened.writer);
    ASSERT_TRUE(opened.writer->write(makeRgbaPicture(32, 24)));
    EXPECT_FALSE(opened.writer->write(makeRgbaPicture(30, 24)));
    EXPECT_NE(opened.writer->error().find("clip.avi"), std::string::npos) << opened.writer->error();
    EXPECT_FALSE(opened.writer->finish());
    EXPECT_TRUE(dir.listing().empty());
}

TEST(AtomicWriters, ClassifyOutput) {
    EXPECT_EQ(app::classifyOutput("a/b/"), app::OutputKind::Directory);
    EXPECT_EQ(app::classifyOutput("x.PNG"), app::OutputKind::Image);
    EXPECT_EQ(app::classifyOutput("x.jpeg"), app::OutputKind::Image);
    EXPECT_EQ(app::classifyOutput("x.mkv"), app::OutputKind::Video);
    EXPECT_EQ(app::classifyOutput("x.txt"), std::nullopt);
    EXPECT_EQ(app::classifyOutput(""), std::nullopt);
}

} // namespace
} // namespace blurcam::test
