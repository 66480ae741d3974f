package corpus

import "testing"

func TestNormalizeURL(t *testing.T) {
	const base = "http://127.0.0.1:8080/en/index.en.html"
	tests := []struct {
		base, href, want string
	}{
		{base, "basic-defs.en.html", "http://127.0.0.1:8080/en/basic-defs.en.html"},
		{base, "./basic-defs.en.html#whatisfaq", "http://127.0.0.1:8080/en/basic-defs.en.html"},
		{base, "#top", "http://127.0.0.1:8080/en/index.en.html"},
		{base, "", "http://127.0.0.1:8080/en/index.en.html"},
		{base, "../ko/index.ko.html", "http://127.0.0.1:8080/ko/index.ko.html"},
		{base, "/a//b/./c/../d", "http://127.0.0.1:8080/a/b/d"},
		{base, "/docs/", "http://127.0.0.1:8080/docs/"},
		{base, "/docs", "http://127.0.0.1:8080/docs"},
		{base, "  /spaced  ", "http://127.0.0.1:8080/spaced"},
		{base, "?q=1", "http://127.0.0.1:8080/en/index.en.html?q=1"},
		{base, "HTTP://Example.ORG:80/a/../b/", "http://example.org/b/"},
		{base, "https://Example.org:443", "https://example.org/"},
		{base, "https://example.org:8443/x", "https://example.org:8443/x"},
		{base, "//cdn.example.org/x.js", "http://cdn.example.org/x.js"},
		{base, "http://user:pw@example.org/", "http://example.org/"},
		{base, "/%7Euser/", "http://127.0.0.1:8080/~user/"},
		{base, "/한국어.html", "http://127.0.0.1:8080/%ED%95%9C%EA%B5%AD%EC%96%B4.html"},
		{"http://[::1]:8080/", "x", "http://[::1]:8080/x"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.base, tt.href)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q, %q) = %q, %v; want %q", tt.base, tt.href, got, err, tt.want)
		}
	}
}

func TestNormalizeURLErrors(t *testing.T) {
	for _, href := range []string{"mailto:a@b.org", "javascript:void(0)", "ftp://ftp.debian.org/", "http://[::1", "http:///nohost"} {
		if got, err := NormalizeURL("http://127.0.0.1/", href); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", href, got)
		}
	}
	if _, err := NormalizeURL("::bad", "x"); err == nil {
		t.Error("a bad base URL must be an error")
	}
}
