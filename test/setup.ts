// Loaded by mocha before any test file (.mocharc.json "require").
// The AWS SDK's notice about its own future Node.js support is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Tests must never reach real AWS or read a developer's credentials, config or instance metadata.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
