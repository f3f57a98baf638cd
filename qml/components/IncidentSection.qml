import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Incident and references: when, where, crime or not, CAD / CRIS / CRIMINT / MERLIN PAC,
// flags and a counter-allegation.
WizardSection {
    id: root

    title: qsTr("Incident and references")
    section: IncidentEditor.IncidentSection

    WizardField {
        id: dateField
        fieldPath: "incident.date"
        inputName: "dateField"
        label: qsTr("Date and time")
        placeholder: qsTr("YYYY-MM-DDTHH:MM, e.g. 2026-03-12T21:40")
        // What was typed, read back in words, so a slip (a month for a day) shows at once.
        help: root.editor.revision >= 0 ? root.editor.readBackDate(root.editor.value("incident.date") ?? "") : ""
    }
    WizardField {
        fieldPath: "incident.location"
        inputName: "locationField"
        label: qsTr("Location")
        placeholder: qsTr("Where it happened")
    }
    ChoiceField {
        objectName: "crimeChoice"
        fieldPath: "incident.crime"
        label: qsTr("Is this a crime or a non-crime domestic incident?")
        options: [{ value: true, label: qsTr("Crime") }, { value: false, label: qsTr("Non-crime incident") }]
    }
    WizardField {
        fieldPath: "refs.cad"
        inputName: "cadField"
        label: qsTr("CAD reference")
        placeholder: qsTr("The emergency call, e.g. 1234/12MAR10")
    }
    WizardField {
        fieldPath: "refs.cris"
        inputName: "crisField"
        label: qsTr("CRIS reference")
        placeholder: qsTr("The crime report, e.g. 4201234/10")
        help: qsTr("Needed when this is a crime.")
    }
    WizardField {
        objectName: "crimintBlock"
        fieldPath: "refs.crimint"
        inputName: "crimintField"
        label: qsTr("CRIMINT reference")
        placeholder: qsTr("Intelligence, e.g. 12345678")
    }
    WizardField {
        fieldPath: "refs.merlin_pac"
        inputName: "merlinPacField"
        label: qsTr("MERLIN PAC reference")
        placeholder: qsTr("Children's pre-assessment check, e.g. 10MAB012345")
        help: qsTr("Needed when children or dependants live in the household.")
    }

    ColumnLayout {
        id: offences
        // The offences, one per line: shown for a crime, below the references, so choosing Crime
        // moves no field the officer is about to tap. Typed text saves within a second.
        property string fieldPath: "incident.offences"
        readonly property bool hasProblem: root.editor.problems.count > 0 && root.editor.problems.hasField(fieldPath)
        function focusInput() { offencesInput.forceActiveFocus() }

        visible: root.editor.revision >= 0 && (root.editor.value("incident.crime") === true || root.editor.offencesText() !== "")
        spacing: 4
        Layout.fillWidth: true
        Label {
            text: qsTr("Offences, one per line")
            font.bold: true
            color: offences.hasProblem ? Theme.warning : palette.windowText
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        EditTextArea {
            id: offencesInput
            objectName: "offencesField"
            // Shown again as stored (one offence a line) once the officer leaves it.
            key: "offences"
            stored: root.editor.revision >= 0 ? root.editor.offencesText() : ""
            readOnly: !root.editor.editable
            placeholderText: qsTr("e.g. Common assault\nCriminal damage")
            wrapMode: TextEdit.Wrap
            implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
            Layout.fillWidth: true
            Accessible.name: qsTr("Offences, one per line")
            onEdited: (typed) => root.editor.setOffences(typed)
        }
    }
    SectionHeading { text: qsTr("Flags") }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.gap
        SwitchField { fieldPath: "flags.hbv"; text: qsTr("Honour-based violence") }
        SwitchField { fieldPath: "flags.forced_marriage"; text: qsTr("Forced marriage") }
        SwitchField { fieldPath: "flags.fgm"; text: qsTr("FGM") }
        SwitchField { fieldPath: "flags.stalking"; text: qsTr("Stalking") }
        SwitchField { fieldPath: "flags.repeat_victim"; text: qsTr("Repeat victim (known to you)") }
        SwitchField { fieldPath: "flags.disability"; text: qsTr("Disability") }
        SwitchField { fieldPath: "flags.lgbt"; text: qsTr("LGBT") }
        SwitchField {
            // Sets the cadence of the investigation's reviews: a supervisor or the investigator
            // may mark it after submission too (the authority policy).
            objectName: "seriousSexualOffenceSwitch"
            fieldPath: "flags.serious_sexual_offence"
            text: qsTr("Serious sexual offence")
            enabled: root.editor.revision >= 0 && root.editor.mayEdit(fieldPath)
        }
        SwitchField {
            objectName: "restrictedSwitch"
            fieldPath: "flags.police_staff_involved"
            text: qsTr("Police staff involved (restricted record)")
            // Restricting is a supervisor's (or a cleared user's) decision, not the officer's.
            enabled: root.editor.revision >= 0 && root.editor.mayEdit(fieldPath)
        }
    }
    Label {
        objectName: "restrictionNote"
        Layout.fillWidth: true
        visible: text !== ""
        text: root.editor.revision >= 0 ? root.editor.authorityNote("flags.police_staff_involved") : ""
        wrapMode: Text.WordWrap
        color: Theme.muted
    }
    WizardField {
        visible: root.editor.revision >= 0 && (root.editor.value("flags.police_staff_involved") === true
                                               || root.editor.value("restriction.reason") !== ""
                                               || root.editor.mayEdit("restriction.reason"))
        fieldPath: "restriction.reason"
        inputName: "restrictionReasonField"
        writable: root.editor.revision >= 0 && root.editor.mayEdit(fieldPath)
        label: qsTr("Why the record is restricted")
        help: qsTr("Needed to restrict it or to change who is on its access list.")
        multiline: true
    }
    // Who may see a restricted 124D: kept with it, shown to all who may see it, changed only by
    // a supervisor or a cleared user on the list (the server also insists on the reason above
    // and on at least one user cleared for restricted records).
    ColumnLayout {
        id: accessPanel
        objectName: "accessListPanel"
        readonly property var users: root.editor.revision >= 0 ? root.editor.accessList() : []
        readonly property bool mayChange: root.editor.revision >= 0 && root.editor.mayEdit("access_list")
        readonly property bool restricted: root.editor.revision >= 0 && root.editor.value("flags.police_staff_involved") === true
        visible: users.length > 0 || mayChange
        Layout.fillWidth: true
        spacing: 8
        Label {
            text: qsTr("Who may see this restricted 124D")
            font.bold: true
        }
        Label {
            text: !accessPanel.restricted
                  ? qsTr("To restrict it: write the reason above, name who may see it here (at least one user cleared for restricted records), then switch on \u201cPolice staff involved\u201d.")
                  : accessPanel.users.length === 0
                  ? qsTr("Nobody is named yet: name at least one user cleared for restricted records, or the station will refuse the restriction.")
                  : qsTr("Only the users named here can see it once it syncs, whatever their team.")
            color: accessPanel.restricted && accessPanel.users.length === 0 ? Theme.warning : Theme.muted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        // A positioner: the list changes as users are added and removed.
        Column {
            id: accessColumn
            Layout.fillWidth: true
            spacing: 4
            Repeater {
                model: accessPanel.users
                RowLayout {
                    required property string modelData
                    required property int index
                    width: accessColumn.width
                    spacing: Theme.gap
                    Label {
                        objectName: "accessUser_" + index
                        text: modelData
                        Layout.fillWidth: true
                    }
                    Button {
                        objectName: "removeAccessUser_" + index
                        visible: accessPanel.mayChange
                        text: qsTr("Remove")
                        flat: true
                        implicitHeight: Theme.touch
                        Accessible.name: qsTr("Remove %1 from who may see it").arg(modelData)
                        onClicked: root.editor.setAccessList(accessPanel.users.filter(u => u !== modelData))
                    }
                }
            }
        }
        RowLayout {
            visible: accessPanel.mayChange
            Layout.fillWidth: true
            spacing: Theme.gap
            PrivateTextField {
                id: newAccessUser
                objectName: "accessUserField"
                readonly property bool savedWithRecord: false  // added to the list with the button
                placeholderText: qsTr("Vigil user id, e.g. dc.2231")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("User to add to who may see it")
                onAccepted: addAccessUser.clicked()
            }
            Button {
                id: addAccessUser
                objectName: "addAccessUserButton"
                text: qsTr("Add")
                enabled: newAccessUser.text.trim() !== ""
                implicitHeight: Theme.touch
                onClicked: {
                    root.editor.setAccessList(accessPanel.users.concat([newAccessUser.text.trim()]))
                    newAccessUser.text = ""
                }
            }
            Button {
                objectName: "addMeToAccessList"
                visible: accessPanel.users.indexOf(AppController.userId) < 0
                text: qsTr("Add me")
                flat: true
                implicitHeight: Theme.touch
                onClicked: root.editor.setAccessList(accessPanel.users.concat([AppController.userId]))
            }
        }
    }

    SectionHeading { text: qsTr("Counter-allegation") }
    SwitchField {
        fieldPath: "counter_allegation.present"
        text: qsTr("Both parties allege abuse")
    }
    WizardField {
        visible: Draft.editor.revision >= 0 && Draft.editor.value("counter_allegation.present") === true
        fieldPath: "counter_allegation.primary_aggressor_note"
        label: qsTr("Who appears to be the primary aggressor, and why")
        multiline: true
    }
    Item { implicitHeight: Theme.gap }
}
