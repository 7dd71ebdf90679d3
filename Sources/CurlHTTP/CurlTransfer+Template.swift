import CCurl

extension CurlTransfer {
    /// Sets the options of one template attempt. The first attempt of a run resets the handle and sets
    /// everything the run shares (method, body, fixed header lines and the constant options); later
    /// attempts on the same transfer set only their URL, timeout and header lines. No option of another
    /// request can leak in: a handle last configured for anything else (`configuredTemplate`) is reset.
    func prepare(_ attempt: HTTPRequestTemplate.Attempt, in template: PreparedTemplate) throws(HTTPClientError) {
        beginTemplateAttempt(url: attempt.url)
        try Self.validateURL(attempt.url)
        try Self.validateFields(attempt.headers, url: attempt.url)
        if configuredTemplate != template.id {
            vc_easy_reset(handle)
            configuredTemplate = 0
            try configureConstants()
            try setMethod(template.method, body: template.body.baseAddress, count: template.bodyCount)
            configuredTemplate = template.id
        }
        errorBuffer[0] = 0
        try check(vc_easy_setopt_string(handle, CURLOPT_URL, attempt.url), "URL")
        try check(vc_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, attempt.timeout.map { max(1, $0.milliseconds) } ?? 0), "timeout")
        let list = attemptLines.write(attempt.headers, before: template.fixedLines)
        try check(vc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "headers")
    }
}
