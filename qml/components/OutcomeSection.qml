import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The crime's outcome (issue 25): charged, cautioned, no further action..., the court's result, an
// arrest made later, a domestic abuse homicide, a note. Recorded by the officer in the case, an
// investigator or a supervisor (the core's authority policy says who: Draft.outcome.mayRecord),
// after submission and before closing at the latest. The core checks what is typed; this shows it.
ColumnLayout {
    id: root

    readonly property OutcomePanel panel: Draft.outcome
    /// The form as typed, from the stored outcome whenever it is read again.
    property string result: ""
    property string decidedOn: ""
    property string courtResult: ""
    property string courtOn: ""
    property bool arrestedLater: false
    property string arrestedOn: ""
    property bool daHomicide: false

    function reset() {
        const s = panel.stored
        result = s.result ?? ""
        decidedOn = s.decidedOn ?? ""
        courtResult = s.courtResult ?? ""
        courtOn = s.courtOn ?? ""
        arrestedLater = s.arrestedLater === true
        arrestedOn = s.arrestedOn ?? ""
        daHomicide = s.daHomicide === true
        noteField.text = s.note ?? ""
    }
    function save() {
        panel.record({ result: result, decidedOn: decidedOn, courtResult: courtResult, courtOn: courtOn,
                       arrestedLater: arrestedLater, arrestedOn: arrestedOn, daHomicide: daHomicide,
                       note: noteField.text })
    }
    function errorFor(field: string): string {
        return panel.fieldErrors[field] ?? ""
    }
    /// The list's choices with "not yet" first, and a code no longer on the list kept as recorded.
    function choices(options: var, recorded: string, none: string): var {
        const known = recorded === "" || options.some(o => o.value === recorded)
        return [{ value: "", label: none, help: "" }]
               .concat(known ? [] : [{ value: recorded, label: qsTr("As recorded: %1").arg(recorded), help: "" }])
               .concat(options)
    }

    /// What the core said is wrong with a field, under it.
    component ErrorLabel: Label {
        visible: text !== ""
        color: Theme.warning
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
    }

    objectName: "outcomeSection"
    visible: panel.mayRecord || panel.summary !== ""
    spacing: Theme.gap
    Layout.fillWidth: true

    Component.onCompleted: reset()

    Connections {
        target: root.panel
        function onStoredChanged() { root.reset() }
    }

    SectionHeading {
        text: qsTr("Outcome")
        Layout.fillWidth: true
    }
    Label {
        objectName: "outcomeSummary"
        text: root.panel.summary !== "" ? root.panel.summary : qsTr("No outcome recorded yet.")
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        objectName: "outcomeRecordedBy"
        visible: text !== ""
        text: root.panel.recordedWords
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Label {
        visible: root.panel.mayRecord
        text: root.panel.crime
              ? qsTr("Record the crime's outcome when it is decided, and before the 124D is closed. It goes with the next sync, and the server checks it again.")
              : qsTr("This 124D is not a crime: record a later arrest or a domestic abuse homicide here.")
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    // One above the other at every size: the 124D's pages are at most 900 pixels wide, and a
    // column count that follows the width makes the page lay itself out again and again.
    ColumnLayout {
        objectName: "outcomeForm"
        visible: root.panel.mayRecord
        spacing: Theme.gap
        Layout.fillWidth: true

        // The decision.
        ColumnLayout {
            spacing: 4
            visible: root.panel.crime
            Layout.fillWidth: true
            Label {
                text: qsTr("Outcome of the crime")
                font.bold: true
                Layout.fillWidth: true
            }
            ComboBox {
                id: resultBox
                readonly property var options: root.choices(root.panel.results, root.result, qsTr("Not decided yet"))
                objectName: "outcomeResultBox"
                model: options
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, options.findIndex(o => o.value === root.result))
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Outcome of the crime")
                onActivated: index => {
                    root.result = options[index].value
                    root.panel.clearError("outcome.result")
                }
            }
            Label {
                readonly property var chosen: resultBox.options[resultBox.currentIndex]
                visible: text !== ""
                text: chosen ? chosen.help : ""
                font.pixelSize: Theme.fontSmall
                color: Theme.muted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ErrorLabel { text: root.errorFor("outcome.result"); Layout.fillWidth: true }
            Label {
                text: qsTr("Decided on")
                font.bold: true
                Layout.fillWidth: true
            }
            PrivateTextField {
                objectName: "outcomeDecidedOnField"
                text: root.decidedOn
                placeholderText: qsTr("e.g. 2026-12-07")
                maximumLength: 10
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Date the outcome was decided (year-month-day)")
                onTextEdited: {
                    root.decidedOn = text
                    root.panel.clearError("outcome.decided_on")
                }
            }
            ErrorLabel { text: root.errorFor("outcome.decided_on"); Layout.fillWidth: true }
        }
        // The court.
        ColumnLayout {
            spacing: 4
            visible: root.panel.crime
            Layout.fillWidth: true
            Label {
                text: qsTr("Court result (after a charge)")
                font.bold: true
                Layout.fillWidth: true
            }
            ComboBox {
                id: courtBox
                readonly property var options: root.choices(root.panel.courtResults, root.courtResult, qsTr("None yet"))
                objectName: "outcomeCourtBox"
                model: options
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, options.findIndex(o => o.value === root.courtResult))
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Court result")
                onActivated: index => {
                    root.courtResult = options[index].value
                    root.panel.clearError("outcome.court_result")
                }
            }
            ErrorLabel { text: root.errorFor("outcome.court_result"); Layout.fillWidth: true }
            Label {
                text: qsTr("Court result on")
                font.bold: true
                Layout.fillWidth: true
            }
            PrivateTextField {
                objectName: "outcomeCourtOnField"
                text: root.courtOn
                placeholderText: qsTr("e.g. 2026-12-07")
                maximumLength: 10
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Date of the court's result (year-month-day)")
                onTextEdited: {
                    root.courtOn = text
                    root.panel.clearError("outcome.court_on")
                }
            }
            ErrorLabel { text: root.errorFor("outcome.court_on"); Layout.fillWidth: true }
        }
        // The arrest made later, and a homicide.
        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            Switch {
                objectName: "outcomeArrestedLaterSwitch"
                text: qsTr("A suspect was arrested later (after the scene)")
                checked: root.arrestedLater
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: text
                onToggled: root.arrestedLater = checked
            }
            PrivateTextField {
                objectName: "outcomeArrestedOnField"
                visible: root.arrestedLater
                text: root.arrestedOn
                placeholderText: qsTr("Arrested on, e.g. 2026-12-07")
                maximumLength: 10
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Date of the later arrest (year-month-day)")
                onTextEdited: {
                    root.arrestedOn = text
                    root.panel.clearError("outcome.arrested_on")
                }
            }
            ErrorLabel { text: root.errorFor("outcome.arrested_on") || root.errorFor("outcome.arrested_later"); Layout.fillWidth: true }
            Switch {
                objectName: "outcomeHomicideSwitch"
                text: qsTr("A domestic abuse homicide")
                checked: root.daHomicide
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: text
                onToggled: root.daHomicide = checked
            }
        }
        // The note.
        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            Label {
                text: qsTr("Note (why no further action; what the CPS or the court said)")
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            PrivateTextArea {
                id: noteField
                objectName: "outcomeNoteField"
                readonly property bool savedWithRecord: false  // saved with "Record the outcome", not as typed
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("Optional, but needed for no further action")
                implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
                Layout.fillWidth: true
                Accessible.name: qsTr("Note on the outcome")
                // A TextArea has no maximumLength: what goes past the core's limit is not kept.
                onTextChanged: if (length > root.panel.noteMaxLength) remove(root.panel.noteMaxLength, length)
            }
            ErrorLabel { text: root.errorFor("outcome.note"); Layout.fillWidth: true }
        }
    }
    RowLayout {
        visible: root.panel.mayRecord
        spacing: Theme.gap
        Layout.fillWidth: true
        Button {
            objectName: "recordOutcomeButton"
            text: qsTr("Record the outcome")
            highlighted: true
            enabled: !root.panel.saving
            implicitHeight: Theme.touch
            Accessible.name: text
            onClicked: root.save()
        }
        Button {
            objectName: "resetOutcomeButton"
            text: qsTr("Undo changes")
            flat: true
            enabled: !root.panel.saving
            implicitHeight: Theme.touch
            Accessible.name: qsTr("Undo the changes to the outcome")
            onClicked: root.reset()
        }
    }
    Label {
        objectName: "outcomeMessage"
        visible: text !== ""
        text: root.panel.message
        color: Object.keys(root.panel.fieldErrors).length > 0 || text.startsWith(qsTr("Not recorded")) ? Theme.warning : Theme.muted
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
