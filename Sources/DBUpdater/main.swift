import LambdaRuntime
import VisitorCounterCore

// Configuration is read and validated once; a bad one is reported to /runtime/init/error.
LambdaRuntime.run { try DBUpdaterHandler.fromEnvironment() }
