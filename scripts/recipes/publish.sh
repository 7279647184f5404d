#!/usr/bin/env bash
# publish: a recipe's dataset folder to the Hugging Face Hub, as it is.
#   make publish RECIPE=code-files HUB_REPO=me/hyperswitch-files [HF_TOKEN=...]
. "$(dirname "$0")/common.sh"
: "${RECIPE:?name the recipe: RECIPE=code-files}" "${HUB_REPO:?name the dataset: HUB_REPO=OWNER/NAME}"
[ -d "$OUT/$RECIPE/dataset" ] || "$ROOT/scripts/recipes/$RECIPE.sh"
dw-upload "$HUB_REPO" --from "$OUT/$RECIPE/dataset" ${PRIVATE:+--private}
