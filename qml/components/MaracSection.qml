import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Referrals and the MARAC decision for each victim. The criteria met come from the core
// (visible high risk, escalation, repeat MARAC, automatic flags...). A decision is needed
// when the grade is high or any criterion is met; "not refer" needs a reason and is refused
// when a criterion forces referral.
WizardSection {
    id: root

    readonly property string vp: editor.victimPath(editor.currentVictim)

    title: qsTr("Referrals and MARAC")
    section: IncidentEditor.MaracSection

    VictimTabs { allowAdd: false }
    ColumnLayout {
        visible: editor.victimCount > 0
        Layout.fillWidth: true
        spacing: Theme.gap

        Label {
            text: (editor.risk.marac ?? []).length === 0 ? qsTr("No MARAC criterion is met so far.")
                                                         : qsTr("MARAC criteria met:")
            font.bold: true
        }
        Repeater {
            model: editor.risk.marac ?? []
            Label {
                required property var modelData
                text: "• " + modelData.reason + " — " + modelData.basis
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
        }
        ChoiceField {
            objectName: "maracDecision"
            fieldPath: root.vp + ".marac.decision"
            label: qsTr("MARAC referral decision")
            options: [{ value: "refer", label: qsTr("Refer to MARAC") }, { value: "not_refer", label: qsTr("Do not refer") }]
        }
        WizardField {
            fieldPath: root.vp + ".marac.reason"
            inputName: "maracReasonField"
            label: qsTr("Why not (needed when not referring)")
            multiline: true
        }
        SwitchField {
            fieldPath: root.vp + ".marac.professional_judgement"
            text: qsTr("Refer on professional judgement")
        }
        WizardField {
            visible: editor.revision >= 0 && editor.value(root.vp + ".marac.professional_judgement") === true
            fieldPath: root.vp + ".marac.professional_judgement_reason"
            label: qsTr("Your professional judgement")
            multiline: true
        }
    }
    Item { implicitHeight: Theme.gap }
}
