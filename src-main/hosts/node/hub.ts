import { runCli } from './cli';

// The plain-Node host: `watchfloor <command>`. It never imports electron (a test loads the bundle in Node).
void runCli(process.argv);
