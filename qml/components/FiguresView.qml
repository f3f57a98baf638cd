import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Vigil

// The supervisor's dashboard (issue 25; docs/figures.md): the figures of the 124Ds on this
// device for a period, each a count of a named figure, the last six months side by side, and
// for the figure chosen its breakdowns and the 124Ds behind its number (each opens).
Item {
    id: root

    readonly property FiguresReport report: Desk.figures
    /// The figure whose detail shows ("" for none yet: the first).
    property string chosen: "crimes"
    readonly property var chosenFigure: report.figures.find(f => f.id === chosen) ?? null
    property string dimension: "victim.ethnicity"
    readonly property bool wide: width >= 1100

    signal openIncident(string incidentId)

    onVisibleChanged: report.active = visible
    Component.onCompleted: report.active = visible
    Component.onDestruction: report.active = false

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Label {
                text: root.report.team === "" ? qsTr("Figures of the 124Ds on this device, by incident date")
                                              : qsTr("Figures of team %1's 124Ds on this device, by incident date").arg(root.report.team)
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            ComboBox {
                id: periodBox
                objectName: "figuresPeriodBox"
                model: [
                    { value: "this_month", label: qsTr("This month") },
                    { value: "last_month", label: qsTr("Last month") },
                    { value: "last_3_months", label: qsTr("The last 3 months") },
                    { value: "last_12_months", label: qsTr("The last 12 months") }
                ]
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, model.findIndex(p => p.value === root.report.period))
                onActivated: root.report.period = currentValue
                implicitHeight: Theme.touch
                Layout.preferredWidth: 260
                Accessible.name: qsTr("Period")
            }
            ComboBox {
                id: teamBox
                objectName: "figuresTeamBox"
                model: [{ value: "", label: qsTr("Every team") }].concat(
                           root.report.teams.filter(t => t !== "").map(t => ({ value: t, label: t })))
                textRole: "label"
                valueRole: "value"
                currentIndex: Math.max(0, model.findIndex(t => t.value === root.report.team))
                onActivated: root.report.team = currentValue
                implicitHeight: Theme.touch
                Layout.preferredWidth: 220
                Accessible.name: qsTr("Team")
            }
        }
        Label {
            objectName: "figuresPeriod"
            text: root.report.loading ? qsTr("Working the figures out…") : root.report.periodWords
            color: Theme.muted
        }
        Label {
            objectName: "figuresMessage"
            visible: root.report.message !== ""
            text: root.report.message
            color: Theme.warning
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        // Wide (a desktop): the figures and the chosen one's detail side by side, each scrolling
        // on its own; narrow (a tablet): the detail below, in a pane of its own.
        GridLayout {
            columns: root.wide ? 2 : 1
            columnSpacing: Theme.gap
            rowSpacing: Theme.gap
            Layout.fillWidth: true
            Layout.fillHeight: true

            ScrollView {
                id: scroll
                objectName: "figuresScroll"
                contentWidth: availableWidth
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: root.wide ? root.width * 0.55 : root.width

                // Left (or top): the trend and every figure.
                ColumnLayout {
                    width: scroll.availableWidth
                    spacing: Theme.gap

                    // The chart is made only while the dashboard shows (a Qt Charts view is
                    // heavy, and a user who never opens the figures never pays for it).
                    Loader {
                        active: root.visible
                        Layout.fillWidth: true
                        Layout.preferredHeight: 300
                        sourceComponent: ChartView {
                            objectName: "figuresTrend"
                            anchors.fill: parent
                            title: qsTr("The last six months")
                            legend.alignment: Qt.AlignBottom
                            antialiasing: true
                            BarSeries {
                                axisX: BarCategoryAxis { categories: root.report.trend.map(m => m.month) }
                                // Whole numbers on the scale: up to 5 a tick each, above in fifths of a round top.
                                axisY: ValueAxis {
                                    readonly property int top: root.report.trendMax <= 5 ? Math.max(1, root.report.trendMax)
                                                                                         : Math.ceil(root.report.trendMax / 5) * 5
                                    min: 0
                                    max: top
                                    labelFormat: "%d"
                                    tickCount: top <= 5 ? top + 1 : 6
                                }
                                BarSet { label: qsTr("Incidents"); values: root.report.trend.map(m => m.incidents) }
                                BarSet { label: qsTr("Crimes"); values: root.report.trend.map(m => m.crimes) }
                                BarSet { label: qsTr("High-risk victims"); values: root.report.trend.map(m => m.highRisk) }
                            }
                        }
                    }

                    // The 124Ds received by team and week (every team, whichever is chosen): a row
                    // a team, a column a week (Monday to Sunday), scrolling sideways for a year.
                    SectionHeading {
                        text: qsTr("124Ds received by team and week")
                        Layout.fillWidth: true
                    }
                    Label {
                        visible: root.report.teamWeeks.length === 0
                        text: qsTr("No 124D in this period.")
                        color: Theme.muted
                    }
                    Flickable {
                        id: weeksFlick
                        objectName: "figuresTeamWeeks"
                        visible: root.report.teamWeeks.length > 0
                        Layout.fillWidth: true
                        Layout.preferredHeight: weeksGrid.implicitHeight + bottomMargin
                        contentWidth: weeksGrid.implicitWidth
                        contentHeight: weeksGrid.implicitHeight
                        flickableDirection: Flickable.HorizontalFlick
                        boundsBehavior: Flickable.StopAtBounds
                        clip: true
                        ScrollBar.horizontal: ScrollBar { policy: weeksFlick.contentWidth > weeksFlick.width ? ScrollBar.AlwaysOn : ScrollBar.AsNeeded }

                        readonly property int cell: 84
                        readonly property int rowHeight: Theme.touch * 0.75
                        // Room under the rows for the scroll bar, so it never covers a count.
                        bottomMargin: 14
                        GridLayout {
                            id: weeksGrid
                            columns: root.report.weeks.length + 2
                            columnSpacing: 0
                            rowSpacing: 0

                            // Header: the team, its total, then each week by its Monday.
                            Repeater {
                                model: [qsTr("Team"), qsTr("Total")].concat(root.report.weeks)
                                delegate: Label {
                                    required property string modelData
                                    required property int index
                                    text: modelData
                                    font.bold: true
                                    elide: Text.ElideRight
                                    horizontalAlignment: index === 0 ? Text.AlignLeft : Text.AlignRight
                                    rightPadding: index === 0 ? 0 : 12
                                    verticalAlignment: Text.AlignVCenter
                                    Layout.minimumWidth: index === 0 ? 170 : weeksFlick.cell
                                    Layout.maximumWidth: Layout.minimumWidth
                                    Layout.preferredHeight: weeksFlick.rowHeight
                                }
                            }
                            // A row a team: its name, its total, and its 124Ds each week.
                            Repeater {
                                model: root.report.teamWeeks.length * (root.report.weeks.length + 2)
                                delegate: Label {
                                    required property int index
                                    readonly property int columns: root.report.weeks.length + 2
                                    readonly property int team: Math.floor(index / columns)
                                    readonly property int column: index % columns
                                    readonly property var row: root.report.teamWeeks[team]
                                    readonly property int count: !row || column === 0 ? 0
                                                                 : column === 1 ? row.total : row.counts[column - 2]
                                    objectName: column === 0 ? "teamWeeksTeam_" + team
                                              : column === 1 ? "teamWeeksTotal_" + team
                                                             : "teamWeeks_" + team + "_" + (column - 2)
                                    text: !row ? "" : column === 0 ? row.label : String(count)
                                    font.bold: column === 1 || (column === 0 && row && row.team === root.report.team)
                                    color: column > 1 && count === 0 ? Theme.muted : palette.text
                                    elide: Text.ElideRight
                                    horizontalAlignment: column === 0 ? Text.AlignLeft : Text.AlignRight
                                    rightPadding: column === 0 ? 0 : 12
                                    verticalAlignment: Text.AlignVCenter
                                    Layout.minimumWidth: column === 0 ? 170 : weeksFlick.cell
                                    Layout.maximumWidth: Layout.minimumWidth
                                    Layout.preferredHeight: weeksFlick.rowHeight
                                }
                            }
                        }
                    }

                    Repeater {
                        model: root.report.figures
                        delegate: ItemDelegate {
                            required property var modelData
                            objectName: "figure_" + modelData.id
                            highlighted: root.chosen === modelData.id
                            Layout.fillWidth: true
                            implicitHeight: Math.max(Theme.touch, contentItem.implicitHeight + 16)
                            Accessible.name: modelData.label + ": " + modelData.words
                            onClicked: root.chosen = modelData.id
                            contentItem: RowLayout {
                                spacing: Theme.gap
                                Label {
                                    text: modelData.label
                                    wrapMode: Text.Wrap
                                    Layout.fillWidth: true
                                }
                                Label {
                                    objectName: "figureWords_" + modelData.id
                                    text: modelData.words
                                    font.bold: true
                                    horizontalAlignment: Text.AlignRight
                                    wrapMode: Text.Wrap
                                    Layout.maximumWidth: scroll.availableWidth * 0.45
                                }
                            }
                        }
                    }
                }
            }
            ScrollView {
                id: detailScroll
                objectName: "figureDetailScroll"
                contentWidth: availableWidth
                clip: true
                Layout.fillWidth: true
                Layout.fillHeight: root.wide
                // Sized by the view, never by what it holds (wrapped words would size it again).
                Layout.preferredWidth: root.wide ? root.width * 0.45 - Theme.gap : root.width
                Layout.preferredHeight: root.wide ? -1 : root.height * 0.4
                Layout.alignment: Qt.AlignTop

                // Right (or below): the chosen figure broken down, and its 124Ds.
                ColumnLayout {
                    objectName: "figureDetail"
                    visible: root.chosenFigure !== null
                    width: detailScroll.availableWidth
                    spacing: 8

                    SectionHeading {
                        text: root.chosenFigure ? root.chosenFigure.label : ""
                        wrapMode: Text.Wrap  // a long name ("Investigations due a review ...") on a tablet
                        Layout.fillWidth: true
                    }
                    Label {
                        objectName: "chosenFigureWords"
                        text: root.chosenFigure ? root.chosenFigure.words : ""
                        font.bold: true
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    ComboBox {
                        id: dimensionBox
                        objectName: "figureDimensionBox"
                        model: root.chosenFigure ? root.report.dimensions(root.chosen) : []
                        textRole: "label"
                        valueRole: "id"
                        currentIndex: Math.max(0, (model || []).findIndex(d => d.id === root.dimension))
                        onActivated: root.dimension = currentValue
                        implicitHeight: Theme.touch
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Break the figure down by")
                    }
                    Repeater {
                        model: root.chosenFigure ? root.report.breakdown(root.chosen, dimensionBox.currentValue ?? "") : []
                        delegate: RowLayout {
                            required property var modelData
                            required property int index
                            objectName: "breakdownRow_" + index
                            Layout.fillWidth: true
                            spacing: Theme.gap
                            Label { text: modelData.label; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { objectName: "breakdownWords_" + index; text: modelData.words; font.bold: true }
                        }
                    }

                    SectionHeading { text: qsTr("The 124Ds behind this number"); Layout.fillWidth: true }
                    Label {
                        readonly property int n: root.chosenFigure ? root.report.recordsOf(root.chosen).length : 0
                        visible: n === 0
                        text: qsTr("None.")
                        color: Theme.muted
                    }
                    Flow {
                        Layout.fillWidth: true
                        spacing: 8
                        Repeater {
                            model: root.chosenFigure ? root.report.recordsOf(root.chosen) : []
                            delegate: Button {
                                required property var modelData
                                required property int index
                                objectName: "figureRecord_" + index
                                text: modelData.reference
                                implicitHeight: Theme.touch
                                Accessible.name: qsTr("Open 124D %1").arg(modelData.reference)
                                onClicked: root.openIncident(modelData.incidentId)
                            }
                        }
                    }
                }
            }
        }
    }
}
