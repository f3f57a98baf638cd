import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Diversity monitoring of one person (a victim or a suspect): each question answered from the
// force's fixed list (core/risk-models/rules-diversity.json), so the board's figures can be
// broken down by it. "Not stated" is an answer (asked, and chose not to say); an unanswered
// question stays empty. An answer typed as free text before the list existed is shown as it
// was, and kept until someone chooses from the list.
ColumnLayout {
    id: root

    /// The person's path in the 124D, e.g. "victims[0].person" or "suspects[1].person".
    property string personPath: ""
    /// objectName prefix for tests: each choice is `<prefix>_<key>`.
    property string namePrefix: ""
    readonly property IncidentEditor editor: Draft.editor

    spacing: 8
    Layout.fillWidth: true

    SectionHeading { text: qsTr("Diversity monitoring"); Layout.fillWidth: true }
    Label {
        text: qsTr("Ask each question; choose \"Not stated\" when the person would rather not say.")
        wrapMode: Text.Wrap
        opacity: 0.8
        Layout.fillWidth: true
    }
    GridLayout {
        // Two questions a row where there is room (desktop, tablet on its side), one on a portrait tablet.
        columns: root.width >= 700 ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: 8
        Layout.fillWidth: true
        Repeater {
            model: root.editor.revision >= 0 ? root.editor.diversityQuestions() : []
            ColumnLayout {
                id: question
                required property var modelData
                readonly property string path: root.personPath + ".diversity." + modelData.key
                readonly property var recorded: root.editor.revision >= 0 ? root.editor.value(path) : undefined
                readonly property bool fromList: recorded === undefined || recorded === ""
                                                 || modelData.options.some(o => o.value === recorded)
                // The list, with "Not asked yet" first, and an old free-text answer kept as it was.
                readonly property var choices: [{ value: "", label: qsTr("Not asked yet") }]
                                               .concat(fromList ? [] : [{ value: recorded,
                                                   label: qsTr("As recorded: %1").arg(recorded) }])
                                               .concat(modelData.options)
                spacing: 4
                Layout.fillWidth: true
                Label {
                    text: question.modelData.label
                    font.bold: true
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                ComboBox {
                    id: box
                    objectName: root.namePrefix !== "" ? root.namePrefix + "_" + question.modelData.key : ""
                    model: question.choices
                    textRole: "label"
                    valueRole: "value"
                    enabled: root.editor.editable
                    currentIndex: Math.max(0, question.choices.findIndex(c => c.value === (question.recorded ?? "")))
                    implicitHeight: Theme.touch
                    Layout.fillWidth: true
                    Accessible.name: question.modelData.label
                    onActivated: index => {
                        const chosen = question.choices[index].value
                        if (chosen !== (question.recorded ?? ""))
                            root.editor.setChoice(question.path, chosen === "" ? null : chosen)
                        currentIndex = Qt.binding(() => Math.max(0, question.choices.findIndex(
                                                                     c => c.value === (question.recorded ?? ""))))
                    }
                }
                Label {
                    visible: question.modelData.help !== ""
                    text: question.modelData.help
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.fontSmall
                    opacity: 0.8
                    Layout.fillWidth: true
                }
            }
        }
    }
}
