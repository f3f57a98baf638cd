import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// What this device already knows about a victim from earlier records (matched by the core's
// person rule): incidents in the last 12 months, the last grade, any MARAC referral. Shown
// before the officer grades.
Rectangle {
    id: root

    property int victim: 0
    readonly property var entry: Draft.editor.priorHistory.length > victim ? Draft.editor.priorHistory[victim] : null

    function gradeLabel(grade: string): string {
        return grade === "high" ? qsTr("High") : grade === "medium" ? qsTr("Medium")
                                : grade === "standard" ? qsTr("Standard") : qsTr("not known")
    }

    visible: entry !== null
    implicitHeight: visible ? content.implicitHeight + 2 * Theme.gap : 0
    Layout.fillWidth: true
    radius: 6
    color: entry && entry.found ? Theme.warningBack : Theme.infoBack
    Accessible.role: Accessible.StaticText
    Accessible.name: summary.text

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: 4
        Label {
            id: summary
            objectName: "priorHistory"
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            text: {
                if (!root.entry)
                    return ""
                if (!root.entry.found)
                    return qsTr("No earlier records for this victim on this device.")
                let parts = [qsTr("%n earlier incident(s) in the last 12 months", "", root.entry.incidentsInYear)]
                if ((root.entry.lastDate ?? "") !== "")
                    parts.push(qsTr("last on %1, graded %2").arg(root.entry.lastDate).arg(root.gradeLabel(root.entry.lastGrade ?? "")))
                parts.push(root.entry.maracReferrals > 0
                           ? qsTr("MARAC referral on %1").arg(root.entry.lastReferral)
                           : qsTr("no MARAC referral"))
                return qsTr("Known to this device: %1.").arg(parts.join("; "))
            }
        }
        Label {
            visible: root.entry !== null && (root.entry.basis ?? "") !== ""
            text: root.entry ? (root.entry.basis ?? "") : ""
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
}
