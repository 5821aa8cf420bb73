// blurcam: the desktop app. Live camera blur in a Qt window.

#include "app_controller.hpp"
#include "display_check.hpp"
#include "opencv_calls.hpp"
#include "source_spec.hpp"

#include <blurcam/devices.hpp>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace {

using blurcam::widgets::GuiSettings;
using blurcam::widgets::toQString;

/// Names from one of the engine's tables joined as "a, b or c"; with aliases, each alias follows
/// its name.
QString joinedNames(const QStringList& names) {
    if (names.size() < 2) {
        return names.join(QString());
    }
    return names.mid(0, names.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") + names.last();
}

QStringList backendNames(bool withAliases) {
    QStringList names;
    blurcam::widgets::forEachGuiBackend([&](const blurcam::NamedValue<blurcam::BackendKind>& entry) {
        names << toQString(entry.name);
        if (withAliases && !entry.alias.empty()) {
            names << toQString(entry.alias);
        }
    });
    return names;
}

QStringList edgeNames() {
    QStringList names;
    for (const auto& entry : blurcam::kEdgeModes) {
        names << toQString(entry.name);
    }
    return names;
}

QString sigmaRange() {
    return QStringLiteral("%1 to %2").arg(blurcam::widgets::kMinSigma).arg(blurcam::widgets::kMaxGuiSigma);
}

struct Overrides {
    std::optional<QString> source;
    std::optional<blurcam::BackendKind> backend;
    std::optional<double> sigma;
    std::optional<blurcam::EdgeMode> edge;
};

/// Parses the options; on a bad value prints one sentence naming the option and exits 2.
Overrides parseArguments(const QStringList& arguments, QString& platformArgument) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Live camera blur. Without a display, use blurcam-cli."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption source(QStringLiteral("source"),
                                    QString::fromStdString(blurcam::app::expectedSourceSyntax()) + QLatin1Char('.'),
                                    QStringLiteral("source"));
    const QCommandLineOption backend(QStringLiteral("backend"),
                                     joinedNames(backendNames(false)) + QStringLiteral(" (gpu is vulkan)."),
                                     QStringLiteral("backend"));
    const QCommandLineOption sigma(QStringLiteral("sigma"), QStringLiteral("Blur sigma, %1.").arg(sigmaRange()),
                                   QStringLiteral("sigma"));
    const QCommandLineOption edge(QStringLiteral("edge"), joinedNames(edgeNames()) + QLatin1Char('.'),
                                  QStringLiteral("mode"));
    const QCommandLineOption platform(QStringLiteral("platform"),
                                      QStringLiteral("Qt platform plugin (e.g. offscreen)."), QStringLiteral("name"));
    parser.addOptions({help, version, source, backend, sigma, edge, platform});
    // Qt's own "-platform offscreen" spelling must parse as one option, not as -p -l -a...
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    auto fail = [](const QString& message) {
        std::fprintf(stderr, "blurcam: %s\n", qPrintable(message));
        std::exit(2);
    };
    if (!parser.parse(arguments)) {
        QString error = parser.errorText();
        if (error.endsWith(QLatin1Char('.'))) {
            error.chop(1);
        }
        fail(error + QStringLiteral("; see blurcam --help."));
    }
    if (parser.isSet(help)) {
        // Without an application object Qt cannot know the program's name yet.
        std::printf("%s", qPrintable(parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                               QStringLiteral("blurcam"))));
        std::exit(0);
    }
    if (parser.isSet(version)) {
        std::printf("blurcam %s\n", BLURCAM_VERSION);
        std::exit(0);
    }
    if (!parser.positionalArguments().isEmpty()) {
        fail(QStringLiteral("unexpected argument \"%1\"; use --source FILE to play a file.")
                 .arg(parser.positionalArguments().first()));
    }
    platformArgument = parser.value(platform);

    Overrides overrides;
    if (parser.isSet(source)) {
        QString value = parser.value(source);
        const blurcam::app::ParsedSourceSpec parsed = blurcam::app::parseSourceSpec(value.toStdString());
        if (!parsed.spec) {
            fail(QStringLiteral("--source: %1.").arg(QString::fromStdString(parsed.error)));
        } else if (parsed.spec->kind == blurcam::app::SourceKind::File) {
            if (!QFileInfo::exists(value)) {
                fail(QStringLiteral("--source %1: no such file (expected %2).")
                         .arg(value, QString::fromStdString(blurcam::app::expectedSourceSyntax())));
            }
            value = QFileInfo(value).absoluteFilePath(); // the setting must survive a different working directory
        }
        overrides.source = value;
    }
    if (parser.isSet(backend)) {
        const auto kind = blurcam::parseBackendKind(parser.value(backend).toLower().toStdString());
        if (!kind || *kind == blurcam::BackendKind::Auto) {
            fail(QStringLiteral("--backend %1: expected %2.")
                     .arg(parser.value(backend), joinedNames(backendNames(true))));
        }
        overrides.backend = *kind;
    }
    if (parser.isSet(sigma)) {
        bool ok = false;
        const double value = parser.value(sigma).toDouble(&ok);
        if (!ok || value < blurcam::widgets::kMinSigma || value > blurcam::widgets::kMaxGuiSigma) {
            fail(QStringLiteral("--sigma %1: expected a number from %2.").arg(parser.value(sigma), sigmaRange()));
        }
        overrides.sigma = std::round(value * 10.0) / 10.0;
    }
    if (parser.isSet(edge)) {
        const auto mode = blurcam::parseEdgeMode(parser.value(edge).toLower().toStdString());
        if (!mode) {
            fail(QStringLiteral("--edge %1: expected %2.").arg(parser.value(edge), joinedNames(edgeNames())));
        }
        overrides.edge = *mode;
    }
    return overrides;
}

} // namespace

int main(int argc, char* argv[]) {
    // Problems reach the user in blurcam's words (status bar, banner); the libraries must not
    // also print to the terminal (a damaged AVI looping in the window made FFmpeg print hundreds
    // of lines a minute). First thing, before any thread could open a capture. The same for the
    // GPU driver's shader-cache complaint, while this is the only thread that reads the environment.
    blurcam::prepareGpuDriverEnvironment();
    blurcam::app::silenceLibraryLogging();
    QStringList arguments;
    for (int index = 0; index < argc; ++index) {
        arguments << QString::fromLocal8Bit(argv[index]);
    }
    QString platformArgument;
    const Overrides overrides = parseArguments(arguments, platformArgument);

    const std::string noDisplay = blurcam::gui::missingDisplayMessage(
        [](const char* name) { return std::getenv(name); }, platformArgument.toStdString());
    if (!noDisplay.empty()) {
        std::fprintf(stderr, "%s\n", noDisplay.c_str());
        return 1;
    }
    const std::string unreachable =
        blurcam::gui::unreachableDisplayMessage([](const char* name) { return std::getenv(name); },
                                                platformArgument.toStdString(), blurcam::gui::x11ServerAnswers);
    if (!unreachable.empty()) {
        std::fprintf(stderr, "%s\n", unreachable.c_str());
        return 1;
    }

    QApplication application(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("blurcam"));
    QApplication::setApplicationName(QStringLiteral("blurcam"));
    QApplication::setApplicationVersion(QStringLiteral(BLURCAM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("blurcam"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/blurcam/blurcam.png")));

    QSettings stored;
    GuiSettings settings = GuiSettings::load(stored);
    if (overrides.source && *overrides.source != settings.source) {
        // Another source than last time: it comes with its own remembered blur, if any.
        settings = GuiSettings::loadForSource(
            stored, blurcam::gui::sourceIdentity(*overrides.source, blurcam::gui::probeCameras()), settings);
        settings.source = *overrides.source;
    }
    if (overrides.backend) {
        settings.backend = *overrides.backend;
    }
    if (overrides.sigma) {
        settings.sigma = *overrides.sigma;
    }
    if (overrides.edge) {
        settings.edge = *overrides.edge;
    }

    blurcam::gui::AppController controller(settings);
    controller.window().show();
    return QApplication::exec();
}
