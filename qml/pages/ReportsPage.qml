import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// The analyst's Reports page (issue 25; docs/figures.md): the board's figures for a period and
// a borough, from the server, as the board report words them (small counts withheld), then the
// same figures listed. An analyst's device holds no record: there is no casework here.
Page {
    id: root

    readonly property bool wide: width >= 1100

    Component.onCompleted: Reports.refresh()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: root.wide ? Theme.pageMargin : Theme.gap
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Label {
                text: qsTr("The board's figures, from the server: counts from 1 to 4 are given as \"fewer than 5\"")
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ComboBox {
                id: periodBox
                objectName: "reportsPeriodBox"
                model: [
                    { value: "last_month", label: qsTr("Last month") },
                    { value: "last_3_months", label: qsTr("The last 3 months") },
                    { value: "last_12_months", label: qsTr("The last 12 months") },
                    { value: "this_year", label: qsTr("This year to last month") }
                ]
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, model.findIndex(p => p.value === Reports.period))
                onActivated: {
                    Reports.period = currentValue
                    Reports.refresh()
                }
                implicitHeight: Theme.touch
                Layout.preferredWidth: 260
                Accessible.name: qsTr("Period")
            }
            ComboBox {
                id: boroughBox
                objectName: "reportsBoroughBox"
                model: [{ value: "", label: qsTr("Every borough") }].concat(Reports.boroughs.map(b => ({ value: b, label: b })))
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, model.findIndex(b => b.value === Reports.borough))
                onActivated: {
                    Reports.borough = currentValue
                    Reports.refresh()
                }
                implicitHeight: Theme.touch
                Layout.preferredWidth: 240
                Accessible.name: qsTr("Borough")
            }
        }
        Label {
            objectName: "reportsPeriod"
            text: Reports.loading ? qsTr("Asking the server for the figures…") : Reports.periodWords
            color: Theme.muted
        }
        Label {
            objectName: "reportsMessage"
            visible: Reports.message !== ""
            text: Reports.message
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        // Wide (a desktop): the report in words beside the figures listed; narrow: one above the other.
        GridLayout {
            columns: root.wide ? 2 : 1
            columnSpacing: Theme.gap * 2
            rowSpacing: Theme.gap
            Layout.fillWidth: true
            Layout.fillHeight: true

            ScrollView {
                id: narrativeScroll
                objectName: "reportsNarrativeScroll"
                contentWidth: availableWidth
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: root.wide ? root.width * 0.58 : root.width

                // The report as the board reads it: the title, then its paragraphs.
                ColumnLayout {
                    width: narrativeScroll.availableWidth
                    spacing: Theme.gap

                    Label {
                        objectName: "reportsNarrative"
                        visible: false  // the whole text, for tests and assistive technology
                        text: Reports.narrative
                    }
                    Repeater {
                        model: Reports.narrative === "" ? [] : Reports.narrative.split("\n\n").filter(p => p.trim() !== "")
                        delegate: Label {
                            required property string modelData
                            required property int index
                            text: modelData.trim()
                            font.bold: index === 0
                            font.pixelSize: index === 0 ? Theme.fontBody + 2 : Theme.fontBody - 2
                            wrapMode: Text.Wrap
                            textFormat: Text.PlainText
                            lineHeight: 1.15
                            Layout.fillWidth: true
                            Accessible.role: index === 0 ? Accessible.Heading : Accessible.StaticText
                            Accessible.name: text
                        }
                    }
                }
            }
            ScrollView {
                id: listScroll
                objectName: "reportsFiguresScroll"
                contentWidth: availableWidth
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: root.wide ? root.width * 0.42 - Theme.gap * 2 : root.width

                ColumnLayout {
                    width: listScroll.availableWidth
                    spacing: 4

                    Repeater {
                        objectName: "reportsFigures"
                        model: Reports.figures
                        delegate: ColumnLayout {
                            required property var modelData
                            required property int index
                            objectName: "reportFigure_" + index
                            Layout.fillWidth: true
                            spacing: 0

                            SectionHeading {
                                visible: index === 0 || Reports.figures[index - 1].scope !== modelData.scope
                                text: modelData.scope
                                Layout.fillWidth: true
                            }
                            // Anchored, not laid out: each wrapped label has its width before its
                            // height is asked, at any window size.
                            Item {
                                Layout.fillWidth: true
                                implicitHeight: Math.max(36, labelText.implicitHeight, wordsText.implicitHeight) + 6
                                Accessible.role: Accessible.StaticText
                                Accessible.name: modelData.label + ": " + modelData.words
                                Label {
                                    id: labelText
                                    width: parent.width * 0.45
                                    text: modelData.label
                                    wrapMode: Text.Wrap
                                }
                                Label {
                                    id: wordsText
                                    anchors.right: parent.right
                                    width: parent.width * 0.55 - Theme.gap
                                    text: modelData.words
                                    font.bold: true
                                    color: modelData.withheld !== "" ? Theme.muted : palette.windowText
                                    horizontalAlignment: Text.AlignRight
                                    wrapMode: Text.Wrap
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
