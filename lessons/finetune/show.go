package finetune

import (
	"fmt"
	"html"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
)

// Run names a training run for ShowCurves.
type Run struct {
	Name    string
	History *mlx.History
}

// ShowCurves draws the training loss of several runs on one plot.
func ShowCurves(title string, runs ...Run) {
	var series []show.Series
	for _, r := range runs {
		series = append(series, show.Series{Name: r.Name, X: r.History.Steps, Y: r.History.Loss})
	}
	show.Lines(show.Plot{Title: title, XLabel: "step", YLabel: "batch loss"}, series...)
}

// ShowConfusion draws a confusion matrix: row = true class, column =
// predicted class.
func ShowConfusion(ev *Evaluation, classes []string, title string) {
	show.Confusion(title, classes, ev.Confusion, 48)
}

// ShowPredictions is a table of examples with their true class (if known,
// Label >= 0) and the model's probability for each class.
func ShowPredictions(examples []Example, probs [][]float64, classes []string) {
	header := []string{"text", "true"}
	for _, c := range classes {
		header = append(header, "P("+c+")")
	}
	var rows [][]string
	for i, e := range examples {
		text := e.A
		if e.B != "" {
			text += "  ⟶  " + e.B
		}
		truth := "?"
		if e.Label >= 0 && e.Label < len(classes) {
			truth = classes[e.Label]
		}
		row := []string{text, truth}
		for _, p := range probs[i] {
			row = append(row, fmt.Sprintf("%.2f", p))
		}
		rows = append(rows, row)
	}
	show.Table(header, rows)
}

// ShowAnswers shows n of the questions, evenly spread over the list (so
// over the pages), with their paragraph: the reader's answer highlighted
// in yellow, the gold answer underlined in green, and the answer's exact
// match and F1.
func ShowAnswers(questions []QA, answers []Answer, n int) {
	var b strings.Builder
	b.WriteString(`<div style="font-size:14px;line-height:1.6">`)
	for k := range min(n, len(questions)) {
		i := k * len(questions) / min(n, len(questions))
		qa, a := questions[i], answers[i]
		fmt.Fprintf(&b, `<div style="margin:10px 0;padding:8px;border:1px solid #ddd;border-radius:4px">`+
			`<b>Q.</b> %s<br><b>gold:</b> <span style="color:#1a7f37">%s</span> &nbsp; <b>model:</b> <span style="background:#fff3a0">%s</span>`+
			` &nbsp; <small>EM %.0f · F1 %.2f · char F1 %.2f · %s</small><br><span style="color:#444">%s</span></div>`,
			html.EscapeString(qa.Question), html.EscapeString(qa.Answer), html.EscapeString(a.Text),
			ExactMatch(a.Text, qa.Answer), F1(a.Text, qa.Answer), CharF1(a.Text, qa.Answer), html.EscapeString(qa.Page),
			markSpans(qa.Context, [2]int{a.Start, a.End}, [2]int{qa.Start, qa.Start + len(qa.Answer)}))
	}
	b.WriteString(`</div>`)
	show.HTML(b.String())
}

// markSpans writes text as HTML with the byte range predicted highlighted
// and the range gold underlined (they may overlap).
func markSpans(text string, predicted, gold [2]int) string {
	cuts := []int{0, len(text)}
	for _, r := range [][2]int{predicted, gold} {
		if r[0] >= 0 && r[1] <= len(text) && r[0] < r[1] {
			cuts = append(cuts, r[0], r[1])
		}
	}
	in := func(i int, r [2]int) bool { return r[0] >= 0 && i >= r[0] && i < r[1] }
	var b strings.Builder
	for i := 0; i < len(text); {
		next := len(text)
		for _, c := range cuts {
			if c > i && c < next {
				next = c
			}
		}
		style := ""
		if in(i, predicted) {
			style += "background:#fff3a0;"
		}
		if in(i, gold) {
			style += "text-decoration:underline 2px #1a7f37;"
		}
		piece := html.EscapeString(text[i:next])
		if style != "" {
			piece = `<span style="` + style + `">` + piece + `</span>`
		}
		b.WriteString(piece)
		i = next
	}
	return b.String()
}
