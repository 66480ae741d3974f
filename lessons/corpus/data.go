package corpus

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// ReviewsFile is the Korean corpus of this lesson: 150,000 NSMC movie
// reviews, one per line (see ../shared/data/README.md).
const ReviewsFile = "nsmc/corpus_ko.txt"

// LoadReviews reads the Korean review corpus through the project's data
// loader, one document per line, as the file has them (not yet cleaned).
func LoadReviews() ([]string, error) {
	b, err := mlx.ReadDataFile(ReviewsFile)
	if err != nil {
		return nil, fmt.Errorf("corpus: loading the Korean reviews: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines, nil
}
