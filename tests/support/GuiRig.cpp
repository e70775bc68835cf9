#include "support/GuiRig.h"

#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTest>

namespace uw::test {

GuiRig::GuiRig() = default;
GuiRig::~GuiRig() = default;

Profile GuiRig::profile(const QString& name) const
{
    return Profile::resolve(name, m_dir.path() + QLatin1Char('/') + name).value();
}

Settings GuiRig::settings(int timeoutSeconds) const
{
    Settings s;
    s.relayUrls = {relayUrl};
    s.loginTimeoutSeconds = timeoutSeconds;
    return s;
}

bool GuiRig::setUp()
{
    if (!parent.listen())
        return false;
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    if (!m_relay->start())
        return false;
    relayUrl = m_relay->url();
    const QStringList d1{QStringLiteral("--data-dir"), profile(QStringLiteral("device1")).dataDir()};
    const QStringList d2{QStringLiteral("--data-dir"), profile(QStringLiteral("device2")).dataDir()};
    int code = -1;
    runCli(d1 + QStringList{QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("alice"), QStringLiteral("--name"),
                            QStringLiteral("Alice Martin"), QStringLiteral("--cardinality"), QStringLiteral("2")},
           {}, &code);
    if (code != 0)
        return false;
    CliProcess offer(d1 + QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")}, {relayUrl});
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    CliProcess join(d2 + QStringList{QStringLiteral("pair-join"), link}, {relayUrl});
    join.start();
    return offer.waitForExit() == 0 && join.waitForExit() == 0;
}

std::unique_ptr<ui::MainWindow> GuiRig::openWindow(const QString& name, int timeoutSeconds)
{
    auto w = std::make_unique<ui::MainWindow>(profile(name), settings(timeoutSeconds));
    w->show();
    auto* pass = find<QLineEdit>(w.get(), "unlockPassphraseEdit");
    QTest::keyClicks(pass, QStringLiteral("test passphrase"));
    QTest::mouseClick(find<QPushButton>(w.get(), "unlockButton"), Qt::LeftButton);
    (void)QTest::qWaitFor([&] { return find<QListWidget>(w.get(), "navigation") != nullptr; }, 20000);
    return w;
}

} // namespace uw::test
