import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Referrals and the MARAC decision for each victim. The criteria met come from the core
// (visible high risk, escalation, repeat MARAC, automatic flags...). A decision is needed
// when the grade is high or any criterion is met; "not refer" needs a reason and is refused
// when a criterion forces referral. Below it, the victim's referrals to partner agencies
// (IDVA, refuge, Victim Support...), each with its date and notes, saved like every field.
WizardSection {
    id: root

    readonly property string vp: editor.victimPath(editor.currentVictim)
    readonly property var referrals: editor.revision >= 0 ? editor.referrals(editor.currentVictim) : []
    readonly property var agencies: [
        { value: "marac", label: qsTr("MARAC") }, { value: "idva", label: qsTr("IDVA") },
        { value: "refuge", label: qsTr("Refuge") }, { value: "victim_support", label: qsTr("Victim Support") },
        { value: "social_services", label: qsTr("Social services") }, { value: "housing", label: qsTr("Housing") },
        { value: "hbv_service", label: qsTr("Specialist HBV service") }, { value: "other", label: qsTr("Other") }
    ]

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
            visible: editor.revision >= 0 && editor.value(root.vp + ".marac.decision") !== "refer"
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

        SectionHeading { text: qsTr("Referrals to partner agencies") }
        Label {
            objectName: "noReferrals"
            visible: root.referrals.length === 0
            text: qsTr("No referrals recorded for this victim yet.")
            color: Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Repeater {
            objectName: "referralList"
            // A count, not the list: the frames (and the field being typed in) stay while the
            // 124D changes under them.
            model: root.referrals.length
            Frame {
                id: referral
                required property int index
                readonly property var modelData: root.referrals[index] ?? ({ index: -1, victim: 0, agency: "" })
                readonly property string rp: "referrals[" + modelData.index + "]"
                objectName: "referral_" + index
                Layout.fillWidth: true
                ColumnLayout {
                    anchors.fill: parent
                    spacing: 8
                    Label {
                        visible: referral.modelData.victim < 0
                        text: qsTr("This referral is for a victim no longer on this 124D.")
                        color: Theme.warning
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    Label {
                        // What this disclosure rests on: her consent, or the lawful basis and why.
                        objectName: "referralBasis_" + referral.index
                        readonly property var sharing: editor.revision >= 0 && referral.modelData.victim >= 0
                            ? editor.sharing(referral.modelData.victim, referral.modelData.agency) : ({})
                        visible: text.length > 0
                        text: sharing.text ?? ""
                        color: sharing.allowed ? Theme.muted : Theme.warning
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    ChoiceField {
                        objectName: "referralAgency_" + referral.index
                        fieldPath: referral.rp + ".agency"
                        label: qsTr("Referral %1: to which agency?").arg(referral.index + 1)
                        options: root.agencies
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        WizardField {
                            fieldPath: referral.rp + ".date"
                            inputName: "referralDate_" + referral.index
                            label: qsTr("Date referred")
                            placeholder: qsTr("YYYY-MM-DD")
                            Layout.preferredWidth: 1
                        }
                        WizardField {
                            fieldPath: referral.rp + ".to_user"
                            inputName: "referralToUser_" + referral.index
                            label: qsTr("Receiving user in Vigil (optional)")
                            placeholder: qsTr("Their user id, e.g. idva.smith")
                            help: qsTr("They will be able to see this 124D.")
                            Layout.preferredWidth: 1
                        }
                    }
                    WizardField {
                        fieldPath: referral.rp + ".notes"
                        inputName: "referralNotes_" + referral.index
                        label: referral.modelData.agency === "other" ? qsTr("Notes (name the agency)") : qsTr("Notes")
                        placeholder: qsTr("Who you spoke to, what was asked")
                        multiline: true
                    }
                    Button {
                        visible: root.editor.editable
                        objectName: "removeReferral_" + referral.index
                        text: qsTr("Remove referral %1").arg(referral.index + 1)
                        implicitHeight: Theme.touch
                        Accessible.name: text
                        onClicked: root.editor.removeReferral(referral.modelData.index)
                    }
                }
            }
        }
        Label {
            objectName: "referralSharing"
            readonly property var sharing: editor.revision >= 0 ? editor.sharing(editor.currentVictim, "") : ({})
            visible: root.editor.editable && !sharing.allowed
            text: sharing.text ?? ""
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            visible: root.editor.editable
            enabled: editor.revision >= 0 && editor.sharing(editor.currentVictim, "").allowed === true
            objectName: "addReferralButton"
            text: qsTr("Add a referral")
            implicitHeight: Theme.touch
            Accessible.name: qsTr("Add a referral for this victim")
            onClicked: root.editor.addReferral(root.editor.currentVictim, "")
        }
    }
    Item { implicitHeight: Theme.gap }
}
