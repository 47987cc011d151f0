"""Output: write the rendered files into the output folder, all at once (a staging folder
swapped in) or as a journalled update in place, never leaving a half-written site."""
