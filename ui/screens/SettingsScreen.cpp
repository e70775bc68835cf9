#include "screens/SettingsScreen.h"

#include "config/RelayList.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace uw::ui {

SettingsScreen::SettingsScreen(const Settings& settings, QWidget* parent) : QWidget(parent), m_settings(settings)
{
    setObjectName(QStringLiteral("settingsScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Settings"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    auto* relaysBox = new QGroupBox(tr("Relays"), this);
    auto* rl = new QVBoxLayout(relaysBox);
    m_relays = new QListWidget(relaysBox);
    m_relays->setObjectName(QStringLiteral("settingsRelaysList"));
    for (const QString& u : settings.relayUrls) {
        auto* item = new QListWidgetItem(u, m_relays);
        item->setData(Qt::UserRole, u);
    }
    rl->addWidget(m_relays);
    auto* addRow = new QHBoxLayout;
    m_newRelay = new QLineEdit(relaysBox);
    m_newRelay->setObjectName(QStringLiteral("newRelayEdit"));
    m_newRelay->setPlaceholderText(QStringLiteral("wss://relay.example/ws"));
    auto* add = new QPushButton(tr("Add"), relaysBox);
    add->setObjectName(QStringLiteral("addRelayButton"));
    auto* remove = new QPushButton(tr("Remove"), relaysBox);
    remove->setObjectName(QStringLiteral("removeRelayButton"));
    addRow->addWidget(m_newRelay);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    rl->addLayout(addRow);
    layout->addWidget(relaysBox);

    auto* nodeBox = new QGroupBox(tr("Bitcoin node"), this);
    auto* nf = new QFormLayout(nodeBox);
    m_rpcUrl = new QLineEdit(settings.bitcoinRpcUrl.toString(), nodeBox);
    m_rpcUrl->setObjectName(QStringLiteral("rpcUrlEdit"));
    m_cookie = new QLineEdit(settings.bitcoinRpcCookie, nodeBox);
    m_cookie->setObjectName(QStringLiteral("cookieEdit"));
    m_mempool = new QLineEdit(settings.mempoolApiUrl.toString(), nodeBox);
    m_mempool->setObjectName(QStringLiteral("mempoolUrlEdit"));
    nf->addRow(tr("Bitcoin Core RPC URL:"), m_rpcUrl);
    //: Form label: the file Bitcoin Core writes with its RPC credentials (.cookie).
    nf->addRow(tr("RPC cookie file:"), m_cookie);
    nf->addRow(tr("or Esplora API URL:"), m_mempool);
    //: Placeholder of the Bitcoin Core RPC URL field: user and password may be written in the URL.
    m_rpcUrl->setPlaceholderText(tr("http://127.0.0.1:38332 (or http://user:password@host:port)"));
    //: Placeholder of the cookie file field.
    m_cookie->setPlaceholderText(tr("the node's .cookie file, when the URL holds no password"));
    m_mempool->setPlaceholderText(QStringLiteral("https://mempool.space/signet/api"));
    auto* testRow = new QHBoxLayout;
    //: Button: one real call to the node typed above, to check that it answers.
    m_testNode = new QPushButton(tr("Test connection"), nodeBox);
    m_testNode->setObjectName(QStringLiteral("testNodeButton"));
    m_nodeResult = new QLabel(nodeBox);
    m_nodeResult->setObjectName(QStringLiteral("nodeTestLabel"));
    m_nodeResult->setWordWrap(true);
    m_nodeResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(m_testNode);
    testRow->addWidget(m_nodeResult, 1);
    nf->addRow(testRow);
    layout->addWidget(nodeBox);

    auto* general = new QGroupBox(tr("General"), this);
    auto* gf = new QFormLayout(general);
    m_timeout = new QSpinBox(general);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(Settings::kMinLoginTimeoutSeconds, Settings::kMaxLoginTimeoutSeconds);
    //: Unit after a number of seconds in a spin box (keep the leading space).
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(settings.loginTimeoutSeconds);
    m_maxValidity = new QSpinBox(general);
    m_maxValidity->setObjectName(QStringLiteral("maxValiditySpin"));
    m_maxValidity->setRange(Settings::kMinCosignValiditySeconds, Settings::kMaxCosignValiditySeconds);
    m_maxValidity->setSuffix(tr(" s"));
    m_maxValidity->setValue(settings.cosignMaxValiditySeconds);
    //: Tooltip of the longest validity a co-signed login may have.
    m_maxValidity->setToolTip(tr("This device refuses to sign a login that would stay valid longer than this."));
    m_language = new QComboBox(general);
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language)));
    //: Form label: how long a login waits for the other devices' signatures.
    gf->addRow(tr("Wait for the other devices:"), m_timeout);
    //: Form label: this device signs another device's login only if it expires within this many seconds.
    gf->addRow(tr("Sign logins valid for at most:"), m_maxValidity);
    gf->addRow(tr("Language (applies at the next start):"), m_language);
    layout->addWidget(general);

    auto* save = new QPushButton(tr("Save"), this);
    save->setObjectName(QStringLiteral("saveSettingsButton"));
    layout->addWidget(save, 0, Qt::AlignLeft);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addStretch();

    connect(add, &QPushButton::clicked, this, [this] {
        auto parsed = parseRelayList(m_newRelay->text());
        if (!parsed) {
            m_status->setText(parsed.error().message);
            return;
        }
        auto* item = new QListWidgetItem(parsed->first(), m_relays);
        item->setData(Qt::UserRole, parsed->first());
        m_newRelay->clear();
        m_status->clear();
    });
    connect(m_testNode, &QPushButton::clicked, this, [this] {
        m_testNode->setEnabled(false);
        m_nodeResult->setStyleSheet(QString());
        //: While the node is asked for its chain and height.
        m_nodeResult->setText(tr("Asking the node…"));
        BackendConfig backend{QUrl(m_rpcUrl->text().trimmed()), m_cookie->text().trimmed(),
                              QUrl(m_mempool->text().trimmed()), QUrl()};
        if (m_rpcUrl->text().trimmed().isEmpty())
            backend.bitcoinRpcUrl = QUrl();
        if (m_mempool->text().trimmed().isEmpty())
            backend.esploraUrl = QUrl();
        Q_EMIT testConnectionRequested(backend);
    });
    connect(remove, &QPushButton::clicked, this, [this] { delete m_relays->currentItem(); });
    connect(save, &QPushButton::clicked, this, [this] {
        Settings s = m_settings;
        s.relayUrls.clear();
        for (int i = 0; i < m_relays->count(); ++i)
            s.relayUrls.append(m_relays->item(i)->data(Qt::UserRole).toString());
        if (s.relayUrls.isEmpty()) {
            m_status->setText(tr("Keep at least one relay."));
            return;
        }
        s.bitcoinRpcUrl = QUrl(m_rpcUrl->text().trimmed());
        s.bitcoinRpcCookie = m_cookie->text().trimmed();
        s.mempoolApiUrl = QUrl(m_mempool->text().trimmed());
        s.loginTimeoutSeconds = m_timeout->value();
        s.cosignMaxValiditySeconds = m_maxValidity->value();
        s.language = m_language->currentData().toString();
        m_settings = s;
        m_status->setStyleSheet(QString());
        //: The settings are being written to the profile's settings file.
        m_status->setText(tr("Saving…"));
        Q_EMIT saveRequested(s);
    });
}

void SettingsScreen::showSaveResult(const QString& error)
{
    m_status->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
    //: The settings reached the profile's settings file.
    m_status->setText(error.isEmpty() ? tr("Saved.") : tr("The settings were not saved: %1").arg(error));
}

void SettingsScreen::showConnectionResult(bool ok, const QString& sentence)
{
    m_testNode->setEnabled(true);
    m_nodeResult->setStyleSheet(ok ? QStringLiteral("color: #1b5e20;") : QStringLiteral("color: #b00020;"));
    m_nodeResult->setText(sentence);
}

void SettingsScreen::setRelayState(const QString& url, const QString& state)
{
    for (int i = 0; i < m_relays->count(); ++i)
        if (m_relays->item(i)->data(Qt::UserRole).toString() == url)
            m_relays->item(i)->setText(QStringLiteral("%1 — %2").arg(url, state));
}

} // namespace uw::ui
