// How sources are named: the one parser and printer behind --input, --source, the GUI's source
// list and its settings. What a source is, is decided here and nowhere else.
#include "source_spec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace blurcam::test {
namespace {

using app::parseSourceSpec;
using app::SourceKind;
using app::SourceSpec;

TEST(SourceSpec, EveryKindPrintsTheTextThatParsesBackToIt) {
    for (const SourceSpec& spec :
         {SourceSpec::pattern(), SourceSpec::camera(0), SourceSpec::camera(app::kMaxCameraIndex),
          SourceSpec::pipeWire("blurcam.camera-2:x_y"), SourceSpec::file("clips/in.mp4"),
          SourceSpec::file("/tmp/a b/ümlaut.png")}) {
        SCOPED_TRACE(spec.text());
        const app::ParsedSourceSpec parsed = parseSourceSpec(spec.text());
        ASSERT_TRUE(parsed.spec) << parsed.error;
        EXPECT_EQ(*parsed.spec, spec);
        EXPECT_TRUE(parsed.error.empty());
    }
    EXPECT_EQ(SourceSpec::camera(3).text(), "camera:3");
    EXPECT_EQ(SourceSpec::pipeWire("obs").text(), "pipewire:obs");
    EXPECT_EQ(SourceSpec::pattern().text(), "pattern");
}

TEST(SourceSpec, OnlyCamerasAreLive) {
    EXPECT_TRUE(SourceSpec::camera(0).isLive());
    EXPECT_TRUE(SourceSpec::pipeWire("obs").isLive());
    EXPECT_FALSE(SourceSpec::pattern().isLive());
    EXPECT_FALSE(SourceSpec::file("in.png").isLive());
}

TEST(SourceSpec, AnythingWithoutAKindsPrefixIsAFilePath) {
    for (const std::string text : {"in.png", "./pattern", "patterns", "Camera:1", "camera", "pipewire", "-"}) {
        SCOPED_TRACE(text);
        const app::ParsedSourceSpec parsed = parseSourceSpec(text);
        ASSERT_TRUE(parsed.spec) << parsed.error;
        EXPECT_EQ(parsed.spec->kind, SourceKind::File);
        EXPECT_EQ(parsed.spec->name, text);
    }
}

TEST(SourceSpec, APrefixWithABadRestIsAnErrorNamingTheTextNotAFile) {
    struct Case {
        std::string text;
        std::string error;
    };
    const Case cases[] = {
        {"camera:", "invalid camera 'camera:': expected camera:N with N a number such as 0"},
        {"camera:first", "invalid camera 'camera:first': expected camera:N with N a number such as 0"},
        {"camera:-1", "invalid camera 'camera:-1': expected camera:N with N a number such as 0"},
        {"camera:12345", "invalid camera 'camera:12345': expected camera:N with N a number such as 0"},
        {"camera: 1", "invalid camera 'camera: 1': expected camera:N with N a number such as 0"},
        {"pipewire:", "invalid PipeWire camera 'pipewire:': expected pipewire:NAME with NAME a node name such as "
                      "blurcam"},
        {"pipewire:a b", "invalid PipeWire camera 'pipewire:a b': expected pipewire:NAME with NAME a node name "
                         "such as blurcam"},
        {"pipewire:x ! filesink location=y", "invalid PipeWire camera 'pipewire:x ! filesink location=y'"},
        {"", "no input given: expected a file, camera:N, pipewire:NAME or pattern"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        const app::ParsedSourceSpec parsed = parseSourceSpec(c.text);
        EXPECT_FALSE(parsed.spec);
        EXPECT_EQ(parsed.error.substr(0, c.error.size()), c.error);
    }
}

TEST(SourceSpec, HelpTextsListEveryKind) {
    EXPECT_EQ(app::expectedSourceSyntax(), "a file, camera:N, pipewire:NAME or pattern");
    for (const app::SourceKindInfo& info : app::kSourceKinds) {
        EXPECT_EQ(&app::sourceKindInfo(info.kind), &info);
    }
}

} // namespace
} // namespace blurcam::test
