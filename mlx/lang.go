package mlx

import (
	"os"
	"path/filepath"
	"strings"
)

// LangEnv chooses the language of the lines mlx prints (checks, exercises):
// "ko" or "en". Without it, a notebook under notebooks/ko speaks Korean, one
// under notebooks/en English, and anything else follows $LANG.
const LangEnv = "BAEUM_LANG"

// Lang is the language mlx prints in: "ko" or "en".
func Lang() string {
	if l := os.Getenv(LangEnv); l == "ko" || l == "en" {
		return l
	}
	if d := os.Getenv("GONB_DIR"); d != "" {
		if b := filepath.Base(d); b == "ko" || b == "en" {
			return b
		}
	}
	if strings.HasPrefix(os.Getenv("LANG"), "ko") {
		return "ko"
	}
	return "en"
}

// Phrases are the fixed words of the lines that notebooks print and that
// `kernel test` reads back, in one language. The emoji and the words up to
// the colon are the markers the test reads; everything after is free text.
type Phrases struct {
	CheckPassed, CheckFailed, QuickRun string
	// Your-turn exercises (see Exercise).
	ExerciseRight, ExerciseWrong, ExerciseTodo                string
	RightOn, WrongAt, Got, Want, Panicked, TodoHelp, Solution string
}

// AllPhrases holds the phrases of every language the course speaks.
var AllPhrases = map[string]Phrases{
	"en": {
		CheckPassed: "✅ CHECK PASSED: ", CheckFailed: "❌ CHECK FAILED: ", QuickRun: "quick run",
		ExerciseRight: "✅ YOUR TURN, RIGHT: ", ExerciseWrong: "❌ YOUR TURN, NOT YET RIGHT: ", ExerciseTodo: "📝 YOUR TURN, NOT WRITTEN YET: ",
		RightOn: "same answer as the lesson's code on all %d inputs", WrongAt: "input %d of %d", Got: "yours", Want: "lesson's",
		Panicked: "your function panicked: %v",
		TodoHelp: "write the function in the cell above (replace the panic line), run that cell, then this one",
		Solution: "a solution",
	},
	"ko": {
		CheckPassed: "✅ 확인 통과: ", CheckFailed: "❌ 확인 실패: ", QuickRun: "짧은 실행",
		ExerciseRight: "✅ 직접 해 보기, 정답: ", ExerciseWrong: "❌ 직접 해 보기, 아직 틀림: ", ExerciseTodo: "📝 직접 해 보기, 아직 안 씀: ",
		RightOn: "입력 %d개 모두 레슨 코드와 같은 답", WrongAt: "입력 %d/%d", Got: "내 답", Want: "레슨 코드",
		Panicked: "함수가 패닉했습니다: %v",
		TodoHelp: "위 셀의 함수를 완성하고(panic 줄을 바꾸세요) 그 셀과 이 셀을 차례로 실행하세요",
		Solution: "해답",
	},
}

// Say returns the phrases of the current language (Lang).
func Say() Phrases { return AllPhrases[Lang()] }
