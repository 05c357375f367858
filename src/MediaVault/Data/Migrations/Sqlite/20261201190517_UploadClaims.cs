using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaVault.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UploadClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "StagingKey",
                table: "Uploads",
                type: "TEXT",
                maxLength: 512,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 512);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "Uploads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FinalKey",
                table: "Uploads",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Uploads_FinalKey",
                table: "Uploads",
                column: "FinalKey");

            migrationBuilder.CreateIndex(
                name: "IX_Images_Key",
                table: "Images",
                column: "Key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Uploads_FinalKey",
                table: "Uploads");

            migrationBuilder.DropIndex(
                name: "IX_Images_Key",
                table: "Images");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "FinalKey",
                table: "Uploads");

            migrationBuilder.AlterColumn<string>(
                name: "StagingKey",
                table: "Uploads",
                type: "TEXT",
                maxLength: 512,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 512,
                oldNullable: true);
        }
    }
}
