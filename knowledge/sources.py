"""The source documents (shared/seeds/), cited by file name."""

DEFICIENCIES = (
    "000_d2d4df8ecb76ca76.txt"  # Understanding the Link Between Nutrient Deficiencies and Leg Cramps
)
LEG_PAIN = "003_186966f8f14150f2.txt"  # The Core Nutrients Behind Leg Pain
VITAMINS = "004_cc939ef52420c4a1.txt"  # What Vitamins Prevent Leg Cramps and Support Muscle Health

TITLES = {
    DEFICIENCIES: "Understanding the Link Between Nutrient Deficiencies and Leg Cramps",
    LEG_PAIN: "The Core Nutrients Behind Leg Pain",
    VITAMINS: "What Vitamins Prevent Leg Cramps and Support Muscle Health",
}
