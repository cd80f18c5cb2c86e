using System.CommandLine;
using LsTranslate.Cli;

return Cli.Run(args);
