#include "screens/LoginScreen.h"

#include "login/LoginLink.h"
#include "models/LoginModel.h"
#include "models/RelayListModel.h"
#include "widgets/QrCodeWidget.h"
#include "widgets/ReadOnlyTable.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace uw::ui {

namespace {

QLabel* heading(const QString& text, QWidget* parent, const QString& objectName)
{
    auto* l = new QLabel(text, parent);
    l->setObjectName(objectName);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    l->setFont(f);
    l->setWordWrap(true);
    return l;
}

} // namespace

LoginScreen::LoginScreen(LoginModel* model, const QList<KnownService>& services, RelayListModel* relays,
                         QWidget* parent)
    : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("loginScreen"));
    auto* outer = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("loginPages"));
    outer->addWidget(m_pages);

    // Page 0: the form.
    auto* form = new QWidget(m_pages);
    auto* fl = new QVBoxLayout(form);
    fl->addWidget(heading(tr("Log in to a service"), form, QStringLiteral("loginTitle")));
    auto* fields = new QFormLayout;
    m_fields = fields;
    m_services = new QComboBox(form);
    m_services->setObjectName(QStringLiteral("servicesCombo"));
    m_service = new QLineEdit(form);
    m_service->setObjectName(QStringLiteral("serviceEdit"));
    m_callback = new QLineEdit(form);
    m_callback->setObjectName(QStringLiteral("callbackEdit"));
    m_callback->setPlaceholderText(QStringLiteral("https://…"));
    //: Form label: services listed in this profile's settings, to fill the form with one click.
    fields->addRow(tr("Known services:"), m_services);
    fields->addRow(tr("Service:"), m_service);
    //: Form label: the URL to which the login proof is sent (the service tells it).
    fields->addRow(tr("Callback:"), m_callback);
    fl->addLayout(fields);
    m_requestInfo = new QLabel(form);
    m_requestInfo->setObjectName(QStringLiteral("requestLabel"));
    m_requestInfo->setWordWrap(true);
    m_requestInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestInfo->setVisible(false);
    fl->addWidget(m_requestInfo);
    auto* start = new QPushButton(tr("Log in"), form);
    start->setObjectName(QStringLiteral("startButton"));
    start->setDefault(true);
    fl->addWidget(start, 0, Qt::AlignLeft);
    fl->addStretch();
    m_pages->addWidget(form);
    connect(m_services, &QComboBox::activated, this, [this](int i) {
        if (i < 1 || i > m_known.size())
            return;
        const KnownService& known = m_known.at(i - 1);
        if (known.isRequest())
            openRequest(known.request.toString(QUrl::FullyEncoded));
        else
            prefill(known.service, known.callback.toString());
    });
    connect(start, &QPushButton::clicked, this, [this] {
        m_signatures->clear();
        m_step->setText(stepText(LoginState::S_LOGIN_CHALLENGE));
        m_collectPanel->setVisible(false);
        m_pages->setCurrentIndex(1);
        if (m_request)
            m_model->startRequest(*m_request);
        else
            m_model->start(m_service->text().trimmed(), m_callback->text().trimmed());
    });

    // Page 1: progress and collection.
    auto* progress = new QWidget(m_pages);
    auto* pl = new QVBoxLayout(progress);
    m_step = heading(QString(), progress, QStringLiteral("stepLabel"));
    pl->addWidget(m_step);
    m_collectPanel = new QWidget(progress);
    auto* cl = new QHBoxLayout(m_collectPanel);
    cl->setContentsMargins(0, 0, 0, 0);
    auto* left = new QVBoxLayout;
    auto* waiting = new QLabel(tr("Waiting for the other devices' signatures…"), m_collectPanel);
    waiting->setObjectName(QStringLiteral("waitingLabel"));
    waiting->setWordWrap(true);
    QFont wf = waiting->font();
    wf.setBold(true);
    waiting->setFont(wf);
    left->addWidget(waiting);
    auto* linkRow = new QHBoxLayout;
    m_link = new QLineEdit(m_collectPanel);
    m_link->setObjectName(QStringLiteral("linkEdit"));
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Signing link for the other device"));
    auto* copy = new QPushButton(tr("Copy"), m_collectPanel);
    copy->setObjectName(QStringLiteral("copyButton"));
    linkRow->addWidget(m_link);
    linkRow->addWidget(copy);
    left->addLayout(linkRow);
    m_countdown = new QLabel(m_collectPanel);
    m_countdown->setObjectName(QStringLiteral("countdownLabel"));
    left->addWidget(m_countdown);
    auto* relaysBox = new QGroupBox(tr("Relays"), m_collectPanel);
    auto* rl = new QVBoxLayout(relaysBox);
    m_relays = new ReadOnlyTable(relays, RelayListModel::Detail, QStringLiteral("relaysList"), relaysBox);
    m_relays->setAccessibleName(tr("Relays"));
    m_relays->setSelectionMode(QAbstractItemView::NoSelection);
    m_relays->followRowCount();
    rl->addWidget(m_relays);
    left->addWidget(relaysBox);
    auto* sigBox = new QGroupBox(tr("Signatures received"), m_collectPanel);
    auto* sl = new QVBoxLayout(sigBox);
    m_signatures = new QListWidget(sigBox);
    m_signatures->setObjectName(QStringLiteral("signaturesList"));
    m_signatures->setAccessibleName(tr("Signatures received"));
    m_signatures->setMaximumHeight(110);
    sl->addWidget(m_signatures);
    left->addWidget(sigBox);
    cl->addLayout(left, 3);
    auto* right = new QVBoxLayout;
    //: Above the large two-digit number, next to the QR code.
    auto* numberCaption = new QLabel(tr("Number to type on the other device:"), m_collectPanel);
    numberCaption->setWordWrap(true);
    numberCaption->setAlignment(Qt::AlignCenter);
    right->addWidget(numberCaption);
    m_number = new QLabel(m_collectPanel);
    m_number->setObjectName(QStringLiteral("loginNumberLabel"));
    m_number->setAlignment(Qt::AlignCenter);
    QFont nf = m_number->font();
    nf.setPointSizeF(nf.pointSizeF() * 3.5);
    nf.setBold(true);
    m_number->setFont(nf);
    m_number->setTextInteractionFlags(Qt::TextSelectableByMouse);
    right->addWidget(m_number);
    m_qr = new QrCodeWidget(m_collectPanel);
    m_qr->setObjectName(QStringLiteral("loginQr"));
    right->addWidget(m_qr, 1, Qt::AlignTop | Qt::AlignHCenter);
    cl->addLayout(right, 2);
    pl->addWidget(m_collectPanel);
    m_cancel = new QPushButton(tr("Cancel"), progress);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    pl->addWidget(m_cancel, 0, Qt::AlignLeft);
    pl->addStretch();
    m_pages->addWidget(progress);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_link->text()); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_model->cancel();
        if (m_fetching) { // back to the form, as it was before the link
            m_fetching = false;
            m_pages->setCurrentIndex(0);
            Q_EMIT backAllowedChanged(backAllowed());
        }
    });

    // Page 2: the confirmation.
    auto* confirm = new QWidget(m_pages);
    auto* kl = new QVBoxLayout(confirm);
    kl->addWidget(heading(tr("Confirm the other device"), confirm, QStringLiteral("confirmTitle")));
    auto* question =
        new QLabel(tr("The words may have been visible on the screen and intercepted. Confirm that it was you who "
                      "approved on the other device?"),
                   confirm);
    question->setObjectName(QStringLiteral("confirmLabel"));
    question->setWordWrap(true);
    kl->addWidget(question);
    m_remoteSigners = new QLabel(confirm);
    m_remoteSigners->setObjectName(QStringLiteral("remoteSignersLabel"));
    m_remoteSigners->setWordWrap(true);
    kl->addWidget(m_remoteSigners);
    auto* buttons = new QHBoxLayout;
    auto* accept = new QPushButton(tr("Accept"), confirm);
    accept->setObjectName(QStringLiteral("acceptButton"));
    auto* refuse = new QPushButton(tr("Refuse"), confirm);
    refuse->setObjectName(QStringLiteral("refuseButton"));
    m_back = new QPushButton(tr("Back"), confirm);
    m_back->setObjectName(QStringLiteral("backButton"));
    m_back->setEnabled(false);
    m_back->setToolTip(tr("Not while a confirmation is pending."));
    buttons->addWidget(m_back);
    buttons->addStretch();
    buttons->addWidget(refuse);
    buttons->addWidget(accept);
    // Tab as the buttons read: Back, Refuse, Accept (they were made in another order).
    QWidget::setTabOrder(m_back, refuse);
    QWidget::setTabOrder(refuse, accept);
    kl->addLayout(buttons);
    kl->addStretch();
    m_pages->addWidget(confirm);
    connect(accept, &QPushButton::clicked, this, [this] { m_model->answerConfirmation(true); });
    connect(refuse, &QPushButton::clicked, this, [this] { m_model->answerConfirmation(false); });

    // Page 3: the outcome.
    auto* result = new QWidget(m_pages);
    auto* ol = new QVBoxLayout(result);
    m_resultTitle = heading(QString(), result, QStringLiteral("resultTitle"));
    ol->addWidget(m_resultTitle);
    m_resultReason = new QLabel(result);
    m_resultReason->setObjectName(QStringLiteral("resultReason"));
    m_resultReason->setWordWrap(true);
    m_resultReason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ol->addWidget(m_resultReason);
    auto* again = new QPushButton(tr("New login"), result);
    again->setObjectName(QStringLiteral("newLoginButton"));
    ol->addWidget(again, 0, Qt::AlignLeft);
    ol->addStretch();
    m_pages->addWidget(result);
    connect(again, &QPushButton::clicked, this, [this] {
        leaveRequestMode();
        // The previous result does not linger, hidden, for the next login to be read as its own.
        m_resultTitle->clear();
        m_resultReason->clear();
        m_pages->setCurrentIndex(0);
    });

    m_tick.setInterval(kCountdownTickMs);
    connect(&m_tick, &QTimer::timeout, this, &LoginScreen::tick);
    connect(m_model, &LoginModel::stateChanged, this, &LoginScreen::onState);
    connect(m_model, &LoginModel::numberReady, this, [this](int number) {
        const QString digits = QStringLiteral("%1").arg(number, 2, 10, QLatin1Char('0'));
        m_number->setText(digits);
        //: Accessible text of the large number: %1 is the two digits.
        m_number->setAccessibleName(tr("Number to type on the other device: %1").arg(digits));
    });
    connect(m_model, &LoginModel::linkReady, this, [this](const QString& link) {
        m_link->setText(link);
        m_link->setCursorPosition(0); // the beginning says what it is
        m_qr->setText(link);
    });
    connect(m_model, &LoginModel::signatureAdded, this,
            [this](const QString& member, const QString& pair, bool remote) {
                auto* item = new QListWidgetItem(
                    (remote
                         //: A signature received: %1 is the member, %2 the first characters of the device's id.
                         ? tr("%1 — another device (%2…)")
                         //: A signature made here: %1 is the member, %2 the first characters of the device's id.
                         : tr("%1 — this device (%2…)"))
                        .arg(member, pair.left(8)),
                    m_signatures);
                item->setData(Qt::UserRole, pair);
            });
    connect(m_model, &LoginModel::confirmationRequested, this, [this](const QStringList& who) {
        //: Followed by one line per signature from another device: its label, member, time and relays.
        m_remoteSigners->setText(tr("Signed on another device:") + QStringLiteral("\n• ") +
                                 who.join(QStringLiteral("\n• ")));
        m_pages->setCurrentIndex(2);
        Q_EMIT backAllowedChanged(false);
    });
    connect(m_model, &LoginModel::finished, this, &LoginScreen::onFinished);
    connect(m_model, &LoginModel::requestReady, this, &LoginScreen::showRequest);
    connect(m_model, &LoginModel::requestRefused, this, &LoginScreen::showRefusal);
    setKnownServices(services);
}

void LoginScreen::setKnownServices(const QList<KnownService>& services)
{
    m_known = services;
    m_services->clear();
    //: The first entry of the list of known services: pick one to fill the form.
    m_services->addItem(tr("Choose a service…"));
    for (const KnownService& s : services)
        m_services->addItem(s.name);
    // Known services come from the settings; without any, the row is not shown.
    m_fields->setRowVisible(m_services, !services.isEmpty());
}

void LoginScreen::openLink(const QString& text)
{
    auto link = LoginLink::parse(text);
    if (!link) {
        showRefusal(link.error().message);
        return;
    }
    if (link->isRequest())
        openRequest(link->requestUrl);
    else
        prefill(link->service, link->callback);
}

void LoginScreen::openRequest(const QString& url)
{
    leaveRequestMode();
    m_fetching = true;
    //: While the service's login request is fetched; %1 is the service's host name.
    m_step->setText(tr("Fetching the login request from %1…").arg(QUrl(url).host()));
    m_collectPanel->setVisible(false);
    m_signatures->clear();
    m_cancel->setEnabled(true);
    m_pages->setCurrentIndex(1);
    Q_EMIT backAllowedChanged(backAllowed());
    m_model->fetchRequest(url);
}

void LoginScreen::showRequest(const LoginRequest& request)
{
    m_fetching = false;
    m_request = request;
    m_service->setText(request.service);
    m_callback->setText(request.callback);
    m_service->setReadOnly(true);
    m_callback->setReadOnly(true);
    QStringList who;
    for (const MemberRequirement& m : request.members) {
        //: One member of a login request: %1 the member, %2 how many of its devices must sign, %n how many it has.
        QString line = tr("%1: %2 of %n device(s)", nullptr, int(m.pairs.size()))
                           .arg(m.id, QString::number(m.cardinaliteMinimale));
        if (!m.dependsOn.isEmpty())
            //: After a member of a login request: the members whose signatures it needs first.
            line += QLatin1Char(' ') + tr("(after %1)").arg(m.dependsOn.join(QStringLiteral(", ")));
        who.append(line);
    }
    //: Above the members a service's login request asks to sign; %1 is the service.
    m_requestInfo->setText(tr("%1 asks these members to sign:").arg(request.service) + QStringLiteral("\n") +
                           who.join(QLatin1Char('\n')));
    m_requestInfo->setVisible(true);
    m_pages->setCurrentIndex(0);
    Q_EMIT backAllowedChanged(backAllowed());
}

void LoginScreen::showRefusal(const QString& reason)
{
    m_fetching = false;
    m_tick.stop();
    //: Title when a login request (or login link) cannot be used; nothing was published.
    m_resultTitle->setText(tr("This login request was refused."));
    m_resultTitle->setStyleSheet(stateStyle(StateColour::Error, QApplication::palette()));
    m_resultReason->setText(reason);
    m_pages->setCurrentIndex(3);
    Q_EMIT backAllowedChanged(true);
}

void LoginScreen::leaveRequestMode()
{
    m_request.reset();
    m_service->setReadOnly(false);
    m_callback->setReadOnly(false);
    m_requestInfo->clear();
    m_requestInfo->setVisible(false);
}

QString LoginScreen::stepText(LoginState s) const
{
    switch (s) {
    case LoginState::S_LOGIN_CHALLENGE:
        return tr("Preparing the login…");
    case LoginState::S_LOGIN_SIGN_LOCAL:
        return tr("Signing with this device…");
    case LoginState::S_LOGIN_PUBLISH_MESSAGE:
        return tr("Publishing to the relays…");
    case LoginState::S_LOGIN_COLLECT_SIGNATURES:
        return tr("Collecting signatures");
    case LoginState::S_LOGIN_PUBLISH_PROOF:
        //: A login step: every signature is in; the user may still have to confirm.
        return tr("Proof assembled");
    case LoginState::S_LOGIN_VERIFY:
        return tr("Verifying the proof…");
    case LoginState::S_LOGIN_MARK_NONCE:
        //: A login step: the login's nonce and the history are written to this device's wallet.
        return tr("Recording the login…");
    case LoginState::S_LOGIN_SEND_PROOF:
        return tr("Sending the proof to the service…");
    case LoginState::S_LOGIN_SUCCESS:
        return tr("Logged in");
    case LoginState::S_LOGIN_FAILURE:
        return tr("Login failed");
    case LoginState::S_IDLE:
        break;
    }
    return {};
}

void LoginScreen::onState(LoginState s)
{
    m_state = s;
    m_step->setText(stepText(s));
    const bool collecting = s == LoginState::S_LOGIN_COLLECT_SIGNATURES;
    m_collectPanel->setVisible(collecting);
    m_cancel->setEnabled(LoginStateMachine::next(s, LoginEvent::E_CANCEL).has_value());
    if (collecting) {
        m_collecting.start();
        tick();
        m_tick.start();
    } else {
        m_tick.stop();
    }
    if (s != LoginState::S_LOGIN_PUBLISH_PROOF && m_pages->currentIndex() == 2)
        m_pages->setCurrentIndex(1);
    Q_EMIT backAllowedChanged(backAllowed());
}

bool LoginScreen::backAllowed() const
{
    return LoginStateMachine::isBackAllowed(m_state) && m_pages->currentIndex() != 2;
}

void LoginScreen::tick()
{
    const qint64 left = std::max<qint64>(0, m_model->timeoutSeconds() - m_collecting.elapsed() / 1000);
    //: Countdown while the other devices sign: %1 minutes, %2 seconds (two digits).
    m_countdown->setText(tr("Time left: %1:%2").arg(left / 60).arg(left % 60, 2, 10, QLatin1Char('0')));
}

void LoginScreen::onFinished(bool success, const QString& reason)
{
    m_tick.stop();
    m_resultTitle->setText(success ? tr("You are logged in.") : tr("The login did not go through."));
    m_resultTitle->setStyleSheet(success ? stateStyle(StateColour::Good, QApplication::palette())
                                         : stateStyle(StateColour::Error, QApplication::palette()));
    m_resultReason->setText(success
                                //: %1 is what the service answered (e.g. "HTTP 200").
                                ? tr("The service received and accepted the proof (%1).").arg(reason)
                                : reason);
    m_pages->setCurrentIndex(3);
    Q_EMIT backAllowedChanged(true);
}

void LoginScreen::prefill(const QString& service, const QString& callback)
{
    leaveRequestMode();
    m_service->setText(service);
    m_callback->setText(callback);
    m_pages->setCurrentIndex(0);
}

} // namespace uw::ui
