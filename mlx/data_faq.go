// Code generated from ../shared/data by "sha256sum"; the hashes are facts about the public files.

package mlx

// debianFAQHashes holds the SHA-256 of each page of the Debian FAQ as shipped by
// the Debian packages debian-faq and debian-faq-ko.
var debianFAQHashes = map[string]string{
	"debian-faq/en/basic-defs.en.html":     "2eddec6dfc904c2274e587a48b1dbf888ee09c668f9d7bf5d70ae3c406b2c822",
	"debian-faq/en/choosing.en.html":       "145fcb9b64ab58d9b58df3539a4d7e9c701c6ee544776fec03c93927afe803e0",
	"debian-faq/en/compatibility.en.html":  "1440c33ea96cc9458725f7d313b038c8a2cc71599e0243fa6a5ee882456745d1",
	"debian-faq/en/contributing.en.html":   "e0f97e7053deb62ced14eca9b00bf5f9dd7d1c210ea658b66fdba8780e814254",
	"debian-faq/en/customizing.en.html":    "e0454b9519257309e236b5347ce41ec3b61b867ba7b548e3d8c8fa9bf53ffbe1",
	"debian-faq/en/faqinfo.en.html":        "89b344ad7a6a8c641d31c3eb78a134cb9dc740fbee5702a35d203f8a8c85bd95",
	"debian-faq/en/ftparchives.en.html":    "a6b992af9d5ab6c4e5267af5f4b16ceb599f9d5ba23e1349d1493927c8fc965d",
	"debian-faq/en/getting-debian.en.html": "62f8500b833dacf2e744aef56b6f9443ccd0c22f6c71c252edd0a59aa601fa9e",
	"debian-faq/en/index.en.html":          "95c0ee96531c793215e1284e69216cf5c75947b8c9f2ab1ca863e375ab66744a",
	"debian-faq/en/kernel.en.html":         "eca6626bc649787581416d22b466c44c91d6fae05b5188f33e83c40a56cc4ac5",
	"debian-faq/en/nextrelease.en.html":    "c44bf907db9ad57714440ea969f8ca587b6df786bf1287d0d05c84d070e211c5",
	"debian-faq/en/pkg-basics.en.html":     "736df96913d1270199a80a25cdf27c9bb1d340c4210f91e4204e32d40f75dd56",
	"debian-faq/en/pkgtools.en.html":       "5d2f6d576621600d09591d88e96bdc6e994e47c32b1d1ac49154923a279ebe85",
	"debian-faq/en/redistributing.en.html": "848f41003dcdf65c5f9d6d48ad8cfd7a64432d2b1b346ee8a992ae6d3f3b5ed0",
	"debian-faq/en/software.en.html":       "8537fc3eaefa67a3d42d22509d18be4a9a7b051d4a0799aa2ef6834cfe557ee5",
	"debian-faq/en/support.en.html":        "729fd5eb5b3f6d497a567ff13dfde83cc37fde795009159e8804eaa4faa2cb18",
	"debian-faq/en/uptodate.en.html":       "939d5e69781cc2718aedb2ba0fb8662cb4d41db2845fafde833ace90f99aa1ef",
	"debian-faq/ko/basic-defs.ko.html":     "bba5bcbdcee1266f6a2ac426ac2f369e0d764b72157671e0132aa43db11f2996",
	"debian-faq/ko/choosing.ko.html":       "6ee9216d332119cf727f1cef06bef6ef717d912d863d42e4a0f7e5c685d05318",
	"debian-faq/ko/compatibility.ko.html":  "a47c2f8552954d4a84513f58912f94dac5345a48f2cfcfba31107e0857766c68",
	"debian-faq/ko/contributing.ko.html":   "a1c67d46b532aedacee591ac52977721c0c3256532172980ff9a398b87b362a4",
	"debian-faq/ko/customizing.ko.html":    "795ded8c8c5d41bd26e7c51789de996df07b3292566e32b75d4f5667bd82dfa3",
	"debian-faq/ko/faqinfo.ko.html":        "e8cae2fb497cbc9f473dc6e6c06846ae33633f44e91815acf4ea0078f9a84d17",
	"debian-faq/ko/ftparchives.ko.html":    "48d3493bd23535e2301f294cb3fec444ce524d1be9264770c263f5cd07971c06",
	"debian-faq/ko/getting-debian.ko.html": "8375d4762d350e59662083ed5ce8ae2a5201e79ed592ec1618e123fcdafaae96",
	"debian-faq/ko/index.ko.html":          "c1584c30fb501d89843ceba83c674235b41adf6000412946ab9e9095725d3bbe",
	"debian-faq/ko/kernel.ko.html":         "374c405e3534804890057e1a8228b21ecee8acc4ea6cadc101bf036f4780b53b",
	"debian-faq/ko/nextrelease.ko.html":    "b8a5011240fbe827b2c34161ee1ccee2a29c80dbcc96e175790161e5c2115a2b",
	"debian-faq/ko/pkg-basics.ko.html":     "b90429b10f6eddb35e0f1e43bd650f1968d4d6bf9375bc97475e495efcc250cd",
	"debian-faq/ko/pkgtools.ko.html":       "d4d6c08f14ddbcccab93e588a412fe5cbfc6be05adec01bca2d4657e72f48456",
	"debian-faq/ko/redistributing.ko.html": "f791a9d149db86cae4baa6fdffaa29ef42f58d85bb68d00a8e45d85a107e9407",
	"debian-faq/ko/software.ko.html":       "a15a521a499e1ebd3e414b5bcfe4a6b6d9523bd105e36d92c9d6b7a41ae33b10",
	"debian-faq/ko/support.ko.html":        "f749ee417d8a45723d8bbebe67242dcf0c8d1e6eff64e968b3e9d11bf07d775d",
	"debian-faq/ko/uptodate.ko.html":       "a04fa27f3526b4272b6d0fe0bcedf455a1014022af5778e2b0c8b39ab859b677",
}
