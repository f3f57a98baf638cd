import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The officer's grade for each victim: never below the computed band; above it only with a
// written reason (the core checks both at submission). Prior history is shown first.
WizardSection {
    id: root

    readonly property string vp: editor.victimPath(editor.currentVictim)
    readonly property string computed: editor.risk.computed ?? ""

    function gradeLabel(grade: string): string {
        return grade === "high" ? qsTr("High") : grade === "medium" ? qsTr("Medium") : grade === "standard" ? qsTr("Standard") : ""
    }

    title: qsTr("Officer's risk grade")
    section: IncidentEditor.GradeSection

    VictimTabs { allowAdd: false }
    ColumnLayout {
        visible: editor.victimCount > 0
        Layout.fillWidth: true
        spacing: Theme.gap

        PriorHistoryCard { victim: editor.currentVictim }
        Label {
            text: root.computed === "" ? qsTr("The computed band appears once the DASH questions are answered.")
                                       : qsTr("Computed from the DASH answers: %1 (%n Yes)", "", editor.risk.yesCount ?? 0).arg(root.gradeLabel(root.computed))
            font.bold: true
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        ChoiceField {
            objectName: "officerGrade"
            fieldPath: root.vp + ".grade.officer"
            label: qsTr("Your grade")
            options: [{ value: "standard", label: qsTr("Standard") }, { value: "medium", label: qsTr("Medium") },
                      { value: "high", label: qsTr("High") }]
        }
        Label {
            text: qsTr("Standard: no indication of likely serious harm. Medium: could cause serious harm if circumstances change. High: serious harm could happen at any time. You may grade higher than computed on professional judgement, with a reason; never lower.")
            color: Theme.muted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        WizardField {
            fieldPath: root.vp + ".grade.officer_reason"
            inputName: "gradeReasonField"
            label: editor.risk.raised ? qsTr("Why you graded above the computed band (needed)") : qsTr("Reason for your grade")
            multiline: true
        }
    }
    Item { implicitHeight: Theme.gap }
}
