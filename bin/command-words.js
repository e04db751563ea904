// Kept free of modern syntax, like the rest of bin/: it runs before the version check.

/**
 * The words of a command line that are not options, in order: the command, a group's subcommand, its arguments.
 * The value of `-p`/`--profile` is skipped; everything after `--` is a word.
 */
export function commandWords(args) {
  var words = [];
  for (var i = 0; i < args.length; i++) {
    var arg = args[i];
    if (arg === "--") return words.concat(args.slice(i + 1));
    if (arg === "-p" || arg === "--profile") i++;
    else if (arg.charAt(0) !== "-") words.push(arg);
  }
  return words;
}
