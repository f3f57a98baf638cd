import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// One 124D in the home list: victim initials (never names), grade, status, sync state,
// and the supervisor's notes when it came back.
ItemDelegate {
    id: root

    required property string incidentId
    required property string occurred
    required property string initials
    required property string grade
    required property string gradeLabel
    required property string stateLabel
    required property string group
    required property string syncLabel
    required property int unsent
    required property string reviewNote
    required property string reviewBy

    width: ListView.view ? ListView.view.width : implicitWidth
    implicitHeight: Math.max(Theme.touch + 24, layout.implicitHeight + 24)
    Accessible.name: qsTr("%1, %2, risk %3, %4, %5").arg(initials).arg(occurred).arg(gradeLabel).arg(stateLabel).arg(syncLabel)

    contentItem: RowLayout {
        id: layout
        spacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            Label {
                text: root.initials
                font.pixelSize: 21
                font.bold: true
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Label {
                text: root.occurred === "" ? qsTr("Date not entered") : root.occurred.replace("T", " ")
                color: Theme.muted
            }
            Label {
                visible: root.group === "returned" && root.reviewNote !== ""
                // A line naming a field ("refs.crimint: …") loses the path here: the wizard
                // shows it beside that field.
                text: qsTr("Supervisor's notes: %1").arg(root.reviewNote.replace(/^\s*(incident|refs|counter_allegation|flags|positive_action|children|suspects|evidence|referrals|victims)(\[[0-9]+\])?(\.[a-z_0-9]+(\[[0-9]+\])?)*\s*:\s*/gm, ""))
                color: Theme.warning
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        GradeBadge {
            grade: root.grade
            label: root.gradeLabel
        }
        Label {
            text: root.stateLabel
            Layout.preferredWidth: 200
            font.bold: root.group === "returned"
            color: root.group === "returned" ? Theme.warning : palette.text
        }
        Label {
            text: root.syncLabel
            Layout.preferredWidth: 260
            elide: Text.ElideRight
            color: root.unsent > 0 ? Theme.medium : Theme.standard
        }
    }
}
