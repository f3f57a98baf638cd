import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Victims: details, safe contact (these answers gate every later contact), consent and
// diversity monitoring with "not stated" for each.
WizardSection {
    id: root

    readonly property string vp: editor.victimPath(editor.currentVictim)
    readonly property bool hasVictim: editor.victimCount > 0

    title: qsTr("Victims")
    section: IncidentEditor.VictimsSection

    VictimTabs {}
    Label {
        visible: !root.hasVictim
        text: qsTr("No victim recorded yet. Each victim has their own safe-contact answers, DASH, grade and MARAC decision.")
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }

    ColumnLayout {
        visible: root.hasVictim
        Layout.fillWidth: true
        spacing: Theme.gap

        WizardField { fieldPath: root.vp + ".person.name"; inputName: "victimNameField"; label: qsTr("Full name") }
        WizardField { fieldPath: root.vp + ".person.date_of_birth"; inputName: "victimDobField"; label: qsTr("Date of birth"); placeholder: qsTr("YYYY-MM-DD") }
        WizardField { fieldPath: root.vp + ".person.phone"; inputName: "victimPhoneField"; label: qsTr("Phone"); placeholder: qsTr("e.g. 07700 900123") }
        WizardField { fieldPath: root.vp + ".person.address.line"; label: qsTr("Address") }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            WizardField { fieldPath: root.vp + ".person.address.house"; label: qsTr("House number or name") }
            WizardField { fieldPath: root.vp + ".person.address.postcode"; label: qsTr("Postcode") }
        }
        // Below the details it is found from: it grows as the name is typed, and must not push
        // down the field the officer taps next.
        PriorHistoryCard { victim: root.editor.currentVictim }
        ChoiceField {
            fieldPath: root.vp + ".relationship"
            label: qsTr("Relationship to the suspect")
            options: [{ value: "intimate_partner", label: qsTr("Partner") }, { value: "ex_partner", label: qsTr("Ex-partner") },
                      { value: "family_member", label: qsTr("Family member") }, { value: "other", label: qsTr("Other") }]
        }

        SectionHeading { text: qsTr("Safe contact") }
        Label {
            text: qsTr("Ask the victim how it is safe to contact them. Every later contact is checked against these answers.")
            wrapMode: Text.Wrap
            color: Theme.muted
            Layout.fillWidth: true
        }
        ChoiceField { objectName: "safePhone"; fieldPath: root.vp + ".safe_contact.phone"; label: qsTr("Is it safe to phone?") }
        ChoiceField { objectName: "safeText"; fieldPath: root.vp + ".safe_contact.text"; label: qsTr("Is it safe to send a text?") }
        ChoiceField { objectName: "safeVoicemail"; fieldPath: root.vp + ".safe_contact.voicemail"; label: qsTr("Is it safe to leave a voicemail?") }
        ChoiceField { objectName: "safeEmail"; fieldPath: root.vp + ".safe_contact.email"; label: qsTr("Is it safe to email?") }
        ChoiceField { objectName: "safeVisit"; fieldPath: root.vp + ".safe_contact.visit"; label: qsTr("Is it safe to visit?") }
        WizardField { fieldPath: root.vp + ".safe_contact.safe_times"; label: qsTr("Safe times to contact") }
        WizardField { fieldPath: root.vp + ".safe_contact.afraid_of"; label: qsTr("Who the victim is afraid of") }

        SectionHeading { objectName: "consentHeading"; text: qsTr("Consent") }
        Label {
            // What a referral of this victim would rest on, or what to record first.
            objectName: "sharingStatus"
            readonly property var sharing: editor.revision >= 0 ? editor.sharing(editor.currentVictim, "") : ({})
            text: sharing.text ?? ""
            color: sharing.allowed ? Theme.muted : Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        ChoiceField { fieldPath: root.vp + ".consent.share_with_partners"; label: qsTr("Consents to sharing information with partner agencies") }
        ChoiceField { fieldPath: root.vp + ".consent.marac_referral"; label: qsTr("Consents to a MARAC referral") }
        ChoiceField { fieldPath: root.vp + ".consent.medical_records"; label: qsTr("Consents to obtaining medical records") }
        WizardField {
            fieldPath: root.vp + ".consent.lawful_basis"
            inputName: "lawfulBasisField"
            label: qsTr("Lawful basis when shared without consent")
            placeholder: qsTr("The law that allows it, e.g. Crime and Disorder Act 1998 s.115")
            multiline: true
        }
        WizardField {
            fieldPath: root.vp + ".consent.justification"
            inputName: "justificationField"
            label: qsTr("Why sharing without consent is necessary and proportionate")
            placeholder: qsTr("The risk to her or others that outweighs her wish not to share")
            help: qsTr("Needed with a lawful basis: without it no referral can be made.")
            multiline: true
        }

        DiversityFields {
            personPath: root.vp + ".person"
            namePrefix: "victimDiversity"
        }
        Button {
            visible: root.editor.editable
            text: qsTr("Remove this victim")
            implicitHeight: Theme.touch
            Accessible.name: text
            onClicked: removeDialog.open()
        }
    }
    Item { implicitHeight: Theme.gap }

    Dialog {
        id: removeDialog
        title: qsTr("Remove this victim?")
        modal: true
        standardButtons: Dialog.Yes | Dialog.No
        anchors.centerIn: Overlay.overlay
        width: 480
        Label {
            width: 440
            text: qsTr("Their details, DASH answers, grade and actions are removed from this 124D.")
            wrapMode: Text.Wrap
        }
        onAccepted: root.editor.removeVictim(root.editor.currentVictim)
    }
}
