import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The live risk for the victim on screen, worked out by the core after every answer: Yes
// count, the band it gives, SPECSS+ factors raised, MARAC criteria met, and what the
// history-based results rest on (this device's records and when it last synced).
Frame {
    id: root

    readonly property IncidentEditor editor: Draft.editor
    readonly property var risk: editor.risk
    /// A band is shown once there is at least one answer.
    readonly property bool graded: risk.computed !== undefined && (risk.answered ?? 0) > 0

    function gradeLabel(grade: string): string {
        if (grade === "high")
            return qsTr("High")
        if (grade === "medium")
            return qsTr("Medium")
        if (grade === "standard")
            return qsTr("Standard")
        return qsTr("Not graded")
    }

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Live risk")

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: parent.width - 6  // clear of the scroll bar
            spacing: 8

            Label {
                text: root.editor.victimCount > 1
                      ? qsTr("Live risk: %1").arg(root.editor.victimName(root.editor.currentVictim) || qsTr("victim %1").arg(root.editor.currentVictim + 1))
                      : qsTr("Live risk")
                font.bold: true
                font.pixelSize: 20
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                visible: root.editor.victimCount === 0
                text: qsTr("Add a victim to see their risk.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: (root.risk.error ?? "") !== ""
                text: root.risk.error ?? ""
                color: Theme.warning
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                objectName: "riskNotYet"
                visible: root.risk.computed !== undefined && !root.graded
                text: qsTr("No grade yet: it is worked out from the DASH answers as they are given.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            RowLayout {
                visible: root.graded
                spacing: 8
                GradeBadge {
                    objectName: "riskBand"
                    grade: root.risk.computed ?? ""
                    label: root.gradeLabel(root.risk.computed ?? "")
                }
                Label {
                    objectName: "riskYesCount"
                    text: qsTr("%n Yes answer(s)", "", root.risk.yesCount ?? 0)
                    font.bold: true
                    Accessible.name: text
                }
            }
            Label {
                visible: root.graded
                text: qsTr("Computed from the answers (%1 or more Yes is high). Don't know: %2 · Not asked: %3 · Still to answer: %4")
                      .arg(root.risk.highThreshold ?? 14).arg(root.risk.dontKnowCount ?? 0)
                      .arg(root.risk.notAskedCount ?? 0).arg(root.risk.unansweredCount ?? 0)
                color: Theme.muted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: root.risk.officer !== undefined && root.risk.officer !== ""
                text: qsTr("Your grade: %1").arg(root.gradeLabel(root.risk.officer ?? "")) +
                      (root.risk.raised ? " " + qsTr("(raised above the computed band)") : "")
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            SectionHeading { text: qsTr("SPECSS+ factors"); visible: root.risk.computed !== undefined }
            Label {
                visible: root.risk.computed !== undefined && (root.risk.specss ?? []).length === 0
                text: qsTr("None raised by the answers so far.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Repeater {
                model: root.risk.specss ?? []
                Label {
                    required property var modelData
                    text: "• " + modelData.label
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                    Accessible.name: modelData.label
                }
            }

            SectionHeading { text: qsTr("MARAC criteria"); visible: root.risk.computed !== undefined }
            Label {
                visible: root.risk.computed !== undefined && (root.risk.marac ?? []).length === 0
                text: qsTr("None met so far.")
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Repeater {
                objectName: "maracCriteria"
                model: root.risk.marac ?? []
                ColumnLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 2
                    Label {
                        text: "• " + modelData.reason
                        wrapMode: Text.Wrap
                        font.bold: true
                        Layout.fillWidth: true
                    }
                    Label {
                        text: modelData.basis
                        color: Theme.muted
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                }
            }
            Label {
                visible: root.risk.referralForced === true
                text: qsTr("Referral to MARAC is automatic for this incident.")
                color: Theme.warning
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            SectionHeading { text: qsTr("History"); visible: root.risk.computed !== undefined }
            Label {
                visible: root.risk.computed !== undefined
                objectName: "riskBasis"
                text: (root.risk.repeatVictim ? qsTr("Repeat victim. ") : "") + (root.risk.basis ?? "")
                wrapMode: Text.Wrap
                font.pixelSize: Theme.fontSmall
                Layout.fillWidth: true
            }
        }
    }
}
