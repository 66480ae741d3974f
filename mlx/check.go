package mlx

import (
	"fmt"
	"os"
)

// QuickEnv is the switch that shrinks every training lesson's budget for a
// smoke run (CI, or a learner in a hurry): BAEUM_QUICK=1.
const QuickEnv = "BAEUM_QUICK"

// Quick reports whether the quick (smoke) run was asked for.
func Quick() bool { v := os.Getenv(QuickEnv); return v != "" && v != "0" }

// QuickName is name, or name + "-quick" in a quick run: the checkpoint
// name a lesson saves under, so that a smoke run's barely trained model
// never stands in for the real one in a later full run.
func QuickName(name string) string {
	if Quick() {
		return name + "-quick"
	}
	return name
}

// Check is what a notebook's check cell calls with the number the run
// produced: it prints "✅ CHECK PASSED: what (detail)" or
// "❌ CHECK FAILED: what (detail)" (in the notebook's language, see Lang) and,
// on failure, panics so that the cell ends in an error that no reader (and no
// `kernel test`) can miss.
func Check(what string, ok bool, detailFormat string, args ...any) {
	detail := fmt.Sprintf(detailFormat, args...)
	say := Say()
	if Quick() {
		detail += "; " + say.QuickRun
	}
	if ok {
		fmt.Printf("%s%s (%s)\n", say.CheckPassed, what, detail)
		return
	}
	fmt.Printf("%s%s (%s)\n", say.CheckFailed, what, detail)
	panic(fmt.Sprintf("check failed: %s (%s)", what, detail))
}
