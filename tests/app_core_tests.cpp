// The app core shared by blurcam-cli and the GUI: sources, conversion, frame preparation and the
// all-or-nothing writers.
#include "cli_test_support.hpp"

#include "area_resize.hpp"
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
    EXPECT_LE(cv::norm(cropped, expected, cv::NORM_INF), 1.0);

    const cv::Mat stretched = app::prepareFrame(frame, app::FrameShape::Stretch, {32, 32});
    ASSERT_EQ(stretched.size(), cv::Size(32, 32));
    EXPECT_EQ(stretched.at<cv::Vec4b>(16, 0), cv::Vec4b(255, 0, 0, 255));

    const cv::Mat native = app::prepareFrame(frame, app::FrameShape::Native, {32, 32});
    EXPECT_EQ(native.size(), frame.size());
}

// The fast area resize against OpenCV's INTER_AREA: within one level on every byte, over integer
// and non-integer ratios, odd sizes, one axis kept, and contents from flat to noise.
cv::Mat areaTestPicture(cv::Size size, int kind) {
    cv::Mat picture(size, CV_8UC4);
    switch (kind) {
    case 0: cv::randu(picture, cv::Scalar::all(0), cv::Scalar::all(256)); break; // noise
    case 1: // hard-edged checkerboard with cells of 3 pixels: partial coverage everywhere
        for (int y = 0; y < size.height; ++y) {
            for (int x = 0; x < size.width; ++x) {
                const auto on = static_cast<std::uint8_t>((((x / 3) + (y / 3)) % 2) * 255);
                picture.at<cv::Vec4b>(y, x) = cv::Vec4b(on, static_cast<std::uint8_t>(255 - on), on, 255);
            }
        }
        break;
    case 2: // smooth ramps, alpha included
        for (int y = 0; y < size.height; ++y) {
            for (int x = 0; x < size.width; ++x) {
                picture.at<cv::Vec4b>(y, x) =
                    cv::Vec4b(static_cast<std::uint8_t>(x * 255 / std::max(1, size.width - 1)),
                              static_cast<std::uint8_t>(y * 255 / std::max(1, size.height - 1)),
                              static_cast<std::uint8_t>((x + y) % 256), static_cast<std::uint8_t>(255 - x % 256));
            }
        }
        break;
    default: picture.setTo(cv::Scalar(255, 255, 255, 255)); break; // white must stay 255
    }
    return picture;
}

TEST(AreaResize, MatchesOpenCvInterAreaWithinOneLevel) {
    cv::RNG& rng = cv::theRNG();
    rng.state = 20261201; // fixed seed: the same noise every run
    const std::vector<std::pair<cv::Size, cv::Size>> cases{
        {{480, 480}, {256, 256}},  // the GUI's crop of a 640x480 camera
        {{1280, 720}, {640, 360}}, // integer ratio 2
        {{1280, 720}, {426, 240}}, // 3 (and a remainder column)
        {{640, 480}, {160, 120}},  // integer ratio 4
        {{97, 61}, {64, 48}},      {{97, 61}, {13, 7}},          {{101, 103}, {100, 102}},
        {{333, 17}, {1, 1}},       {{640, 480}, {640, 240}}, // one axis kept
        {{640, 480}, {320, 480}},  {{1920, 1080}, {256, 144}},   {{1920, 1080}, {30, 17}},
        {{7, 5}, {3, 2}},          {{255, 255}, {256 / 2, 255}}, {{500, 300}, {499, 299}},
    };
    app::AreaResizer resizer; // reused across sizes: the tables follow the size pair
    for (const auto& [from, to] : cases) {
        for (int kind = 0; kind < 4; ++kind) {
            const cv::Mat source = areaTestPicture(from, kind);
            cv::Mat expected;
            cv::resize(source, expected, to, 0.0, 0.0, cv::INTER_AREA);
            cv::Mat actual(to, CV_8UC4);
            ASSERT_TRUE(app::AreaResizer::handles({from.width, from.height}, {to.width, to.height}));
            resizer.resize(app::toImageView(source), app::toMutableImageView(actual));
            EXPECT_LE(cv::norm(actual, expected, cv::NORM_INF), 1.0) << from << " -> " << to << " content " << kind;
            if (kind == 3) {
                EXPECT_TRUE(sameBytes(actual, expected)) << from << " -> " << to << ": white must stay exactly white";
            }
        }
    }
}

TEST(AreaResize, ReadsRowStrideAndLeavesGrowingToOpenCv) {
    // A crop view (stride wider than the row) gives what a continuous copy gives.
    cv::RNG& rng = cv::theRNG();
    rng.state = 7;
    const cv::Mat frame = areaTestPicture({640, 480}, 0);
    const cv::Mat crop = frame(app::centredCropRect(frame.size(), {256, 256}));
    cv::Mat fromView(256, 256, CV_8UC4);
    cv::Mat fromCopy(256, 256, CV_8UC4);
    app::AreaResizer resizer;
    resizer.resize(app::toImageView(crop), app::toMutableImageView(fromView));
    resizer.resize(app::toImageView(crop.clone()), app::toMutableImageView(fromCopy));
    EXPECT_TRUE(sameBytes(fromView, fromCopy));

    EXPECT_FALSE(app::AreaResizer::handles({100, 100}, {101, 50}));
    EXPECT_FALSE(app::AreaResizer::handles({100, 100}, {0, 50}));
    // prepareFrame still grows frames, through OpenCV.
    const cv::Mat small = areaTestPicture({40, 30}, 2);
    cv::Mat expected;
    cv::resize(small, expected, {80, 60}, 0.0, 0.0, cv::INTER_AREA);
    EXPECT_TRUE(sameBytes(app::prepareFrame(small, app::FrameShape::Stretch, {80, 60}), expected));
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
        app::OpenedWriter opened =
            app::openFrameWriter((dir / name).string(), kind, {.fps = 25.0, .overwrite = false, .protectedFiles = {}});
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
