import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// One 124D in the home list: victim initials (never names), Vigil's short reference and the
// date, grade, status, sync state, and the supervisor's notes when it came back. Narrow
// (a portrait tablet): status and sync state go under the initials.
ItemDelegate {
    id: root

    required property string incidentId
    required property string occurred
    required property string reference
    required property string initials
    required property string grade
    required property string gradeLabel
    required property string stateLabel
    required property string group
    required property string syncLabel
    required property int unsent
    required property string reviewNote
    required property string reviewBy

    readonly property bool narrow: width < 900

    width: ListView.view ? ListView.view.width : implicitWidth
    implicitHeight: Math.max(Theme.touch + 24, layout.implicitHeight + 24)
    Accessible.name: qsTr("%1, %2, %3, risk %4, %5, %6").arg(initials).arg(reference).arg(occurred).arg(gradeLabel).arg(stateLabel).arg(syncLabel)

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
                // The reference tells apart two rows with the same initials.
                objectName: "incidentReference"
                text: qsTr("%1 · %2").arg(root.reference).arg(root.occurred === "" ? qsTr("date not entered") : root.occurred)
                color: Theme.muted
            }
            Label {
                visible: root.narrow
                text: qsTr("%1 · %2").arg(root.stateLabel).arg(root.syncLabel)
                font.bold: root.group === "returned"
                color: root.group === "returned" ? Theme.warning : palette.text
                wrapMode: Text.Wrap
                Layout.fillWidth: true
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
            visible: !root.narrow
            text: root.stateLabel
            Layout.preferredWidth: 200
            font.bold: root.group === "returned"
            color: root.group === "returned" ? Theme.warning : palette.text
        }
        Label {
            visible: !root.narrow
            text: root.syncLabel
            Layout.preferredWidth: 260
            elide: Text.ElideRight
            color: root.unsent > 0 ? Theme.medium : Theme.standard
        }
    }
}
