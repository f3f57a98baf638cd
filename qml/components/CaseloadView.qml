import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A caseload (issue 24): an IDVA's referred victims, or the victims of an officer in the
// case's investigations. Overdue and due-today first, then High risk first. Each line says
// what is due next and the victim's safe-contact rules, so nobody calls at the wrong time.
ColumnLayout {
    id: root
    spacing: Theme.gap / 2

    readonly property CaseloadModel cases: Casework.caseload

    Label {
        objectName: "caseloadSummary"
        text: root.cases.count === 0 ? ""
              : qsTr("%n case(s)", "", root.cases.count)
                + (root.cases.overdueCount > 0 ? qsTr(" · %n overdue", "", root.cases.overdueCount) : "")
                + (root.cases.dueTodayCount > 0 ? qsTr(" · %n due today", "", root.cases.dueTodayCount) : "")
        color: root.cases.overdueCount > 0 ? Theme.warning : Theme.muted
        font.bold: root.cases.overdueCount > 0
        visible: text !== ""
        Layout.fillWidth: true
    }

    ListView {
        id: list
        objectName: "caseloadList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.cases
        spacing: 2
        keyNavigationEnabled: true
        focus: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("My cases")
        ScrollBar.vertical: ScrollBar {}

        delegate: ItemDelegate {
            id: row
            required property int index
            required property string caseId
            required property string victim
            required property string reference
            required property string status
            required property string risk
            required property string riskWords
            required property string dueWords
            required property bool overdue
            required property bool dueToday
            required property string lastContact
            required property string safeSummary
            required property string kind
            required property string source
            objectName: "case_" + index
            width: ListView.view.width
            highlighted: ListView.isCurrentItem
            Accessible.name: qsTr("%1, %2 risk, %3. %4").arg(victim).arg(riskWords).arg(status).arg(dueWords)
            onClicked: Casework.current.open(kind, source)
            Keys.onReturnPressed: Casework.current.open(kind, source)

            contentItem: RowLayout {
                spacing: Theme.gap
                GradeBadge {
                    grade: row.risk
                    label: row.riskWords
                    Layout.alignment: Qt.AlignTop
                }
                ColumnLayout {
                    spacing: 2
                    Layout.fillWidth: true
                    Label {
                        text: row.victim + "  ·  " + row.reference + "  ·  " + row.status
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "caseDue_" + row.index
                        text: row.dueWords
                        visible: text !== ""
                        color: row.overdue ? Theme.warning : row.dueToday ? Theme.medium : palette.text
                        font.bold: row.overdue || row.dueToday
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.safeSummary
                        color: Theme.muted
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        text: row.lastContact
                        color: Theme.muted
                        font.pixelSize: Theme.fontSmall
                        Layout.fillWidth: true
                    }
                }
            }
        }

        Label {
            anchors.centerIn: parent
            width: parent.width * 0.8
            visible: list.count === 0
            text: root.cases.message
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: Theme.muted
        }
    }
}
