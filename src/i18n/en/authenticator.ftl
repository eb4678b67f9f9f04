# Authenticator apps: Profile → Two-factor, the sign-in code page, and the policy.

policy-two-factor-email-fallback = Members with an authenticator app may ask for an emailed code instead
policies-two-factor-email-fallback-hint = Members who set up an authenticator app in their profile are asked for its code. Turn this off to accept only app and recovery codes from them.

two-factor-app-lead = Open your authenticator app and enter the 6-digit code it shows for Gatehouse.
two-factor-app-or-email-lead = Enter the code we emailed to { $email }, or the one your authenticator app shows.
two-factor-recovery-hint = Lost your phone? Enter one of your recovery codes instead.
two-factor-email-instead = Email me a code instead
two-factor-wrong-app-code = That code is not right or was already used. Enter the code your app shows now.
flash-recovery-code-used = You signed in with a recovery code, which can't be used again. If you lost your phone, turn the authenticator app off here and set it up again.
flash-authenticator-removed = Authenticator app turned off. Your recovery codes no longer work.

authenticator-title = Two-factor authentication
authenticator-lead = When your organization asks for a second step at sign-in, use a code from an app on your phone, such as Google Authenticator, Microsoft Authenticator or 1Password.
authenticator-profile-lead = Use an authenticator app instead of emailed codes when your organization asks for a second step.
authenticator-unavailable = Authenticator apps are not available on this server yet: its administrator must set GATEHOUSE_SECRET_KEY.
authenticator-app = Authenticator app
authenticator-on = On
authenticator-off = Off
authenticator-off-lead = Without an app, your organization emails you a code when it asks for one.
authenticator-set-up = Set up an authenticator app
authenticator-manage = Manage
authenticator-setup-title = Set up your authenticator app
authenticator-step-scan = Scan this QR code with your authenticator app.
authenticator-qr-label = QR code that adds Gatehouse to your authenticator app
authenticator-step-key = Can't scan it? Enter this key in the app instead:
authenticator-step-code = Enter the 6-digit code the app shows
authenticator-confirm = Turn on
authenticator-cancel = Cancel setup
authenticator-code-required = Enter the 6-digit code from your app.
authenticator-code-wrong = That code doesn't match. Check that your phone sets its time automatically, and enter the code the app shows now.
authenticator-recovery-title = Your recovery codes
authenticator-recovery-once = Save these codes somewhere safe now: they are shown only once. Each one signs you in once if you lose your phone.
authenticator-recovery-download = Download
authenticator-recovery-saved = I have saved them
authenticator-on-since = On since { $date }.
authenticator-codes-left = { $count ->
    [one] 1 of { $total } recovery codes left.
   *[other] { $count } of { $total } recovery codes left.
}
authenticator-renew-title = New recovery codes
authenticator-renew-lead = Get 10 new codes; the ones you have stop working. Enter your password to continue.
authenticator-renew = Get new recovery codes
authenticator-turn-off-title = Turn off the authenticator app
authenticator-turn-off-lead = Your organization will email you codes again. Enter your password to continue.
authenticator-turn-off = Turn off
authenticator-reset-menu = Reset two-factor
authenticator-reset-title = Reset two-factor
authenticator-reset-body = { $email } will no longer be asked for their authenticator app's code, and their recovery codes stop working. Until they set up an app again, they sign in with emailed codes. Do this when they lost their phone and their recovery codes, after making sure it is them asking.
authenticator-reset-submit = Reset authenticator app
authenticator-reset-none-body = { $email } has no authenticator app: nothing to reset.
authenticator-reset-back = Back to users
authenticator-reset-owner = Only the owner turns off their authenticator app, in their profile. If they cannot sign in, allow emailed codes in Policies → Two-factor for a while.
authenticator-reset-other-organizations = This person also belongs to other organizations, which their authenticator app protects too, so only they turn it off, in their profile. If they cannot sign in, allow emailed codes in Policies → Two-factor for a while.
authenticator-reset-none = This member has no authenticator app.
flash-authenticator-reset = Authenticator app reset. The member signs in with emailed codes until they set one up again.
