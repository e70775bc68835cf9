#pragma once

#include "MainWindow.h"
#include "support/HttpTestServer.h"
#include "support/Processes.h"

#include <QTemporaryDir>
#include <memory>

namespace uw::test {

/// Two devices of member "alice" (two signatures required), paired over a real relay daemon,
/// a real HTTP parent, and the GUI windows of both devices: the stage for the GUI tests and
/// for the screenshots.
class GuiRig : public QObject
{
    Q_OBJECT
public:
    GuiRig();
    ~GuiRig() override;
    /// Starts the relay, creates and pairs the two profiles (through userwallet-cli).
    bool setUp();
    /// Adds the Bitcoin Core test double, an anchoring wallet for device 1 with a few anchors,
    /// and a services.json for its dashboard (the relay, the parent, a closed port).
    /// `doubleArgs`: bitcoind-double's options (a slow scantxoutset...).
    bool setUpNode(const QStringList& doubleArgs = {});
    /// A window for a profile, unlocked through its welcome screen.
    std::unique_ptr<ui::MainWindow> openWindow(const QString& profile, int timeoutSeconds = 300);
    Profile profile(const QString& name) const;
    Settings settings(int timeoutSeconds) const;

    HttpTestServer parent;
    QString relayUrl;
    /// The anchoring rounds of the windows opened from now on (anchoring/round_* settings).
    int roundIntervalSeconds = Settings{}.roundIntervalSeconds;
    int roundMaxDigests = Settings{}.roundMaxDigests;

    /// Helpers to drive widgets by object name.
    template <typename T> static T* find(QWidget* root, const char* name)
    {
        return root->findChild<T*>(QString::fromLatin1(name));
    }

    std::unique_ptr<DoubleProcess> node;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RelayProcess> m_relay;
};

} // namespace uw::test
