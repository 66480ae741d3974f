package mlx

import "testing"

func TestLang(t *testing.T) {
	for _, c := range []struct{ env, gonbDir, lang, want string }{
		{"", "/x/notebooks/ko", "", "ko"},
		{"", "/x/notebooks/en", "ko_KR.UTF-8", "en"},
		{"en", "/x/notebooks/ko", "", "en"},
		{"", "/tmp/elsewhere", "ko_KR.UTF-8", "ko"},
		{"", "", "C.UTF-8", "en"},
		{"fr", "", "", "en"},
	} {
		t.Setenv(LangEnv, c.env)
		t.Setenv("GONB_DIR", c.gonbDir)
		t.Setenv("LANG", c.lang)
		if got := Lang(); got != c.want {
			t.Errorf("BAEUM_LANG=%q GONB_DIR=%q LANG=%q: Lang() = %q, want %q", c.env, c.gonbDir, c.lang, got, c.want)
		}
	}
	for lang, p := range AllPhrases {
		if p.CheckPassed == "" || p.ExerciseRight == "" || p.ExerciseTodo == "" || p.ExerciseWrong == "" || p.CheckFailed == "" {
			t.Errorf("%s: a marker phrase is empty", lang)
		}
	}
}
