#include "screens/ChecklistScreen.h"

#include "models/ChecklistModel.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace uw::ui {

ChecklistScreen::ChecklistScreen(ChecklistModel* model, QWidget* parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("checklistScreen"));
    setMaximumWidth(640); // MainWindow centres it, like the welcome screen
    auto* layout = new QVBoxLayout(this);
    //: Title of the checklist shown after a first run (create, join or restore).
    auto* title = new QLabel(tr("Before you start"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    auto* intro = new QLabel(tr("This device is ready. A few things make it useful; each is ticked when it is done, "
                                "and the Help menu brings this list back."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_items = new QWidget(this);
    auto* grid = new QGridLayout(m_items);
    grid->setContentsMargins(0, 8, 0, 8);
    grid->setColumnStretch(1, 1);
    layout->addWidget(m_items);
    //: Checklist button: connect to the relays that were not reached, now.
    m_relays = addItem("relays", tr("Retry"), QStringLiteral("retryRelaysButton"));
    //: Checklist button: go to the Devices page, where another device is paired.
    m_devices = addItem("devices", tr("Open Devices"), QStringLiteral("openDevicesButton"));
    //: Checklist button: go to Settings, where a backup of the profile is exported.
    m_backup = addItem("backup", tr("Export a backup…"), QStringLiteral("openBackupButton"));
    //: Checklist button: leave the checklist for the wallet's pages.
    auto* go = new QPushButton(tr("Continue"), this);
    go->setObjectName(QStringLiteral("checklistContinueButton"));
    go->setDefault(true);
    layout->addWidget(go, 0, Qt::AlignRight);
    layout->addStretch();

    connect(m_relays.action, &QPushButton::clicked, this, [this] {
        if (m_model->relayCount() == 0)
            Q_EMIT settingsRequested(); // nothing to retry: the relays are set in Settings
        else
            m_model->retryRelays();
    });
    connect(m_devices.action, &QPushButton::clicked, this, &ChecklistScreen::pairingRequested);
    connect(m_backup.action, &QPushButton::clicked, this, &ChecklistScreen::settingsRequested);
    connect(go, &QPushButton::clicked, this, &ChecklistScreen::finished);
    connect(m_model, &ChecklistModel::changed, this, &ChecklistScreen::refresh);
    refresh();
}

ChecklistScreen::Item ChecklistScreen::addItem(const char* name, const QString& actionText, const QString& actionName)
{
    auto* grid = static_cast<QGridLayout*>(m_items->layout());
    const int row = grid->rowCount();
    Item item{new QLabel(m_items), new QLabel(m_items), new QPushButton(actionText, m_items)};
    item.mark->setObjectName(QLatin1String(name) + QStringLiteral("Mark"));
    item.mark->setMinimumWidth(item.mark->fontMetrics().horizontalAdvance(QStringLiteral("✓")) * 2);
    item.text->setObjectName(QLatin1String(name) + QStringLiteral("Item"));
    item.text->setWordWrap(true);
    item.action->setObjectName(actionName);
    grid->addWidget(item.mark, row, 0, Qt::AlignTop);
    grid->addWidget(item.text, row, 1, Qt::AlignTop);
    grid->addWidget(item.action, row, 2, Qt::AlignTop);
    return item;
}

void ChecklistScreen::setItem(const Item& item, bool done, const QString& text)
{
    item.mark->setText(done ? QStringLiteral("✓") : QStringLiteral("○"));
    // What a screen reader says for the mark: the state in words.
    //: A checklist item's state, said by a screen reader.
    item.mark->setAccessibleName(done ? tr("Done") : tr("To do"));
    item.mark->setStyleSheet(done ? stateStyle(StateColour::Good, QApplication::palette()) : QString());
    item.text->setText(text);
    item.action->setVisible(!done);
    //: Accessible description of a checklist item's button: %1 the item.
    item.action->setAccessibleDescription(text);
}

void ChecklistScreen::refresh()
{
    const int all = m_model->relayCount();
    const int up = m_model->relaysReachable();
    QString relays;
    if (all == 0)
        //: Checklist: the profile has no relay.
        relays = tr("No relay is set: logins and pairing go through relays. Add one in Settings.");
    else if (up == all)
        //: Checklist: %1 relays reached out of %2 (all of them).
        relays = tr("Relays reachable: %1 of %2.").arg(up).arg(all);
    else if (m_model->relaysChecking())
        //: Checklist: %1 relays reached out of %2; a connection is being opened.
        relays = tr("Relays reachable: %1 of %2 — checking…").arg(up).arg(all);
    else
        //: Checklist: %1 relays reached out of %2; the others do not answer.
        relays = tr("Relays reachable: %1 of %2. The others do not answer; logins need at least one.").arg(up).arg(all);
    setItem(m_relays, all > 0 && up == all, relays);
    m_relays.action->setText(all == 0 ? tr("Open Settings") : tr("Retry"));

    const int required = m_model->devicesRequired();
    const int paired = m_model->devicesPaired();
    // Only when a login needs more than one device of the member.
    m_devices.mark->setVisible(required > 1);
    m_devices.text->setVisible(required > 1);
    setItem(m_devices, paired >= required,
            paired >= required
                //: Checklist: %1 devices paired; %n devices sign each login.
                ? tr("Devices paired: %1; each login needs %n.", nullptr, required).arg(paired)
                : paired <= 1
                      //: Checklist: the member needs %n devices to log in; %1 are paired so far.
                      ? tr("Pair a second device: each login needs %n devices of this member; paired so far: %1.",
                           nullptr, required)
                            .arg(paired)
                      //: Checklist: the member needs %n devices to log in; %1 (two or more) are paired so far.
                      : tr("Pair another device: each login needs %n devices of this member; paired so far: %1.",
                           nullptr, required)
                            .arg(paired));
    m_devices.action->setVisible(required > 1 && paired < required);

    setItem(m_backup, m_model->backupMade(),
            m_model->backupMade()
                //: Checklist: a backup of this profile exists.
                ? tr("A backup of this profile is made.")
                //: Checklist: no backup of this profile yet.
                : tr("Make a backup of this profile (Settings): a lost or broken computer would take this "
                     "device's keys with it."));
}

} // namespace uw::ui
