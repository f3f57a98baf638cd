import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// My incidents: drafts, submitted, returned (with the supervisor's notes), approved,
// newest first. Victim initials only. A supervisor's home opens on the QA queue, with the
// 124Ds on the device a tab away.
Page {
    id: root

    /// A supervisor's desk, by tab: 0 the QA queue, 1 the reviews due, 2 the daily risk meeting,
    /// 3 the QA returns per officer, 4 the conflicts, 5 the 124Ds on the device, 6 the figures.
    property int deskTab: AppController.supervisor ? 0 : 5
    readonly property bool showQueue: AppController.supervisor && deskTab === 0
    readonly property bool showReviews: AppController.supervisor && deskTab === 1
    readonly property bool showMeeting: AppController.supervisor && deskTab === 2
    readonly property bool showReturns: AppController.supervisor && deskTab === 3
    readonly property bool showConflicts: AppController.supervisor && deskTab === 4
    readonly property bool showFigures: AppController.supervisor && deskTab === 6
    readonly property bool showIncidents: (!AppController.supervisor || deskTab === 5) && !showCases && !AppController.idva
    /// Victim casework (issue 24): an IDVA's or an officer in the case's caseload. An IDVA has
    /// only the caseload; an investigator or an officer with cases has it beside their 124Ds.
    readonly property bool hasCases: !AppController.supervisor && (AppController.caseworker || Casework.caseload.count > 0)
    property int caseTab: 0
    readonly property bool showCases: hasCases && (AppController.idva || caseTab === 0)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Label {
                text: qsTr("Signed in as %1 · %2").arg(AppController.userName).arg(AppController.userTeam)
                color: Theme.muted
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Button {
                objectName: "newDraftButton"
                visible: !AppController.idva  // a partner agency never writes a 124D
                text: qsTr("New 124D")
                highlighted: true
                enabled: !Draft.busy
                implicitHeight: Theme.touch
                Accessible.name: qsTr("Start a new 124D")
                onClicked: Draft.createNew()
            }
        }

        TabBar {
            objectName: "caseTabs"
            visible: root.hasCases && !AppController.idva
            Layout.fillWidth: true
            currentIndex: root.caseTab
            onCurrentIndexChanged: root.caseTab = currentIndex
            TabButton {
                objectName: "myCasesTab"
                text: Casework.caseload.overdueCount > 0 ? qsTr("My cases (%1 overdue)").arg(Casework.caseload.overdueCount)
                                                         : qsTr("My cases (%1)").arg(Casework.caseload.count)
                font.bold: Casework.caseload.overdueCount > 0
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                objectName: "my124DsTab"
                text: qsTr("My 124Ds")
                implicitHeight: Theme.touch
                Accessible.name: text
            }
        }
        CaseloadView {
            visible: root.showCases
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        TabBar {
            objectName: "deskTabs"
            visible: AppController.supervisor
            Layout.fillWidth: true
            currentIndex: root.deskTab
            onCurrentIndexChanged: root.deskTab = currentIndex
            TabButton {
                objectName: "qaQueueTab"
                text: qsTr("QA queue (%1)").arg(Desk.qaQueue.totalCount)
                implicitHeight: Theme.touch
                font.bold: true
                Accessible.name: text
            }
            TabButton {
                objectName: "reviewsDueTab"
                text: Desk.reviewsDue.overdueCount > 0 ? qsTr("Reviews (%1 overdue)").arg(Desk.reviewsDue.overdueCount)
                                                       : qsTr("Reviews (%1)").arg(Desk.reviewsDue.count)
                implicitHeight: Theme.touch
                font.bold: Desk.reviewsDue.overdueCount > 0
                Accessible.name: text
            }
            TabButton {
                objectName: "riskMeetingTab"
                text: qsTr("Risk meeting")
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                objectName: "returnsTab"
                text: Desk.returns.unseen > 0 ? qsTr("QA returns (%1 new)").arg(Desk.returns.unseen) : qsTr("QA returns")
                implicitHeight: Theme.touch
                font.bold: Desk.returns.unseen > 0
                Accessible.name: text
            }
            TabButton {
                objectName: "conflictsTab"
                text: qsTr("Conflicts (%1)").arg(Desk.conflicts.count)
                implicitHeight: Theme.touch
                font.bold: Desk.conflicts.count > 0
                Accessible.name: text
            }
            TabButton {
                objectName: "allIncidentsTab"
                text: qsTr("All 124Ds")
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                objectName: "figuresTab"
                text: qsTr("Figures")
                implicitHeight: Theme.touch
                Accessible.name: text
            }
        }
        ConflictsView {
            visible: root.showConflicts
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        ReviewsDueView {
            visible: root.showReviews
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        RiskMeetingView {
            visible: root.showMeeting
            meeting: Desk.riskMeeting
            Layout.fillWidth: true
            Layout.fillHeight: true
            onOpenIncident: (incidentId) => Draft.open(incidentId)
        }
        FiguresView {
            visible: root.showFigures
            Layout.fillWidth: true
            Layout.fillHeight: true
            onOpenIncident: (incidentId) => Draft.open(incidentId)
        }
        QaReturnsView {
            visible: root.showReturns
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        QaQueueView {
            visible: root.showQueue
            Layout.fillWidth: true
            Layout.fillHeight: true
        }

        TabBar {
            id: tabs
            visible: root.showIncidents
            objectName: "filterTabs"
            Layout.fillWidth: true
            readonly property var filters: ["", "draft", "returned", "submitted", "approved"]
            currentIndex: Math.max(0, filters.indexOf(Home.incidents.filter))
            onCurrentIndexChanged: Home.incidents.filter = filters[currentIndex]

            TabButton {
                text: qsTr("All (%1)").arg(Home.incidents.totalCount)
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                text: qsTr("Drafts (%1)").arg(Home.incidents.draftCount)
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                text: qsTr("Returned (%1)").arg(Home.incidents.returnedCount)
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                text: qsTr("Submitted (%1)").arg(Home.incidents.submittedCount)
                implicitHeight: Theme.touch
                Accessible.name: text
            }
            TabButton {
                text: qsTr("Approved (%1)").arg(Home.incidents.approvedCount)
                implicitHeight: Theme.touch
                Accessible.name: text
            }
        }

        MessageBanner {
            text: AppController.message
            Layout.fillWidth: true
        }

        ListView {
            id: list
            objectName: "incidentList"
            visible: root.showIncidents
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Home.incidents
            spacing: 2
            keyNavigationEnabled: true
            focus: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("My incidents")
            ScrollBar.vertical: ScrollBar {}

            delegate: IncidentDelegate {
                onClicked: Draft.open(incidentId)
            }

            // A very full device: the list holds the newest 500 (and every draft and return);
            // say so rather than let a count and a shorter list disagree silently.
            footer: Label {
                objectName: "notListedNote"
                visible: Home.incidents.notListedCount > 0
                height: visible ? implicitHeight + 2 * Theme.gap : 0
                width: ListView.view ? ListView.view.width : implicitWidth
                topPadding: Theme.gap
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.muted
                text: qsTr("%n older 124D(s) on this device are not listed here: the list holds the newest 500, and every draft and returned 124D (up to 500 of each).", "",
                           Home.incidents.notListedCount)
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                width: parent.width * 0.7
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: Theme.muted
                text: Home.incidents.totalCount === 0
                      ? qsTr("No incidents on this device yet. Start one with New 124D; records you may see arrive when the device syncs.")
                      : qsTr("Nothing in this group.")
            }
        }
    }
}
