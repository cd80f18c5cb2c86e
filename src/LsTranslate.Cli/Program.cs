using LsTranslate.Cli;
using LsTranslate.Model.Distributed;

var code = Cli.Run(args);
// Under a launcher, each rank leaves MPI before it exits.
Communicator.FinishWorld();
return code;
