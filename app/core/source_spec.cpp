#include "source_spec.hpp"

#include "quoted.hpp"

#include <algorithm>
#include <cctype>

namespace blurcam::app {

namespace {

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

ParsedSourceSpec invalid(std::string_view text, SourceKind kind, std::string_view what) {
    return {std::nullopt,
            "invalid " + std::string(what) + " " + quoted(text) + ": expected " +
                std::string(sourceKindInfo(kind).syntax) + " with " +
                std::string(kind == SourceKind::Camera ? "N a number such as 0" : "NAME a node name such as blurcam")};
}

} // namespace

const SourceKindInfo& sourceKindInfo(SourceKind kind) {
    return *std::find_if(kSourceKinds.begin(), kSourceKinds.end(),
                         [kind](const SourceKindInfo& info) { return info.kind == kind; });
}

std::string expectedSourceSyntax() {
    std::string list;
    for (std::size_t i = 0; i < kSourceKinds.size(); ++i) {
        list += i == 0 ? "" : i + 1 == kSourceKinds.size() ? " or " : ", ";
        list += kSourceKinds[i].syntax;
    }
    return list;
}

std::string SourceSpec::text() const {
    switch (kind) {
    case SourceKind::Pattern: return std::string(sourceKindInfo(kind).prefix);
    case SourceKind::Camera: return std::string(sourceKindInfo(kind).prefix) + std::to_string(cameraIndex);
    case SourceKind::PipeWire: return std::string(sourceKindInfo(kind).prefix) + name;
    case SourceKind::File: return name;
    }
    return name;
}

bool isPlainNodeName(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
    });
}

ParsedSourceSpec parseSourceSpec(std::string_view text) {
    if (text.empty()) {
        return {std::nullopt, "no input given: expected " + expectedSourceSyntax()};
    }
    if (text == sourceKindInfo(SourceKind::Pattern).prefix) {
        return {SourceSpec::pattern(), {}};
    }
    if (const std::string_view prefix = sourceKindInfo(SourceKind::Camera).prefix; startsWith(text, prefix)) {
        const std::string_view number = text.substr(prefix.size());
        const auto maxDigits = std::to_string(kMaxCameraIndex).size();
        if (number.empty() || number.size() > maxDigits ||
            !std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); })) {
            return invalid(text, SourceKind::Camera, "camera");
        }
        return {SourceSpec::camera(std::stoi(std::string(number))), {}};
    }
    if (const std::string_view prefix = sourceKindInfo(SourceKind::PipeWire).prefix; startsWith(text, prefix)) {
        const std::string_view node = text.substr(prefix.size());
        if (!isPlainNodeName(node)) {
            return invalid(text, SourceKind::PipeWire, "PipeWire camera");
        }
        return {SourceSpec::pipeWire(std::string(node)), {}};
    }
    return {SourceSpec::file(std::string(text)), {}};
}

} // namespace blurcam::app
